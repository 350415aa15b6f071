#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What the kernel says about running processes, read from /proc: the CPU and memory of a
/// process group (a node and its ffmpegs), a PostgreSQL server, or any set of processes.
enum ProcessTable {
    /// One process as /proc/PID/stat shows it.
    struct Entry {
        var pid: pid_t
        var parent: pid_t
        var group: pid_t
        /// The program's name (`ffmpeg`, `citywatch`, `postgres`).
        var command: String
        /// utime + stime, in clock ticks.
        var ownTicks: Int
        /// cutime + cstime: children that ended and were waited for, in clock ticks.
        var childTicks: Int
    }

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Every process now.
    static func all() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { pid_t($0) }.compactMap(entry)
    }

    static func entry(_ pid: pid_t) -> Entry? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return nil }
        // After the command: state(0) ppid(1) pgrp(2) … utime(11) stime(12) cutime(13) cstime(14).
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let parent = pid_t(fields[1]), let group = pid_t(fields[2]),
              let user = Int(fields[11]), let system = Int(fields[12]), let childUser = Int(fields[13]), let childSystem = Int(fields[14])
        else { return nil }
        return Entry(pid: pid, parent: parent, group: group, command: String(text[text.index(after: open)..<close]),
                     ownTicks: user + system, childTicks: childUser + childSystem)
    }

    /// True while some process belongs to `group`.
    static func hasMembers(group: pid_t) -> Bool {
        all().contains { $0.group == group }
    }

    /// CPU seconds used so far by the processes `entries` picks (own time plus their waited-for
    /// children's, so an ffmpeg that ended and was reaped by its node still counts).
    static func cpuSeconds(_ entries: [Entry]) -> Double {
        Double(entries.reduce(0) { $0 + $1.ownTicks + $1.childTicks }) / ticksPerSecond
    }

    /// Resident and proportional memory of a process in KiB (`smaps_rollup`): RSS counts shared
    /// libraries in full in every process, PSS divides each shared page among its users.
    static func memoryKiB(_ pid: pid_t) -> (rss: Int, pss: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return nil }
        var rss = 0, pss = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, let value = Int(parts[1]) else { continue }
            if parts[0] == "Rss:" { rss = value } else if parts[0] == "Pss:" { pss = value }
        }
        return (rss, pss)
    }

    /// The processes whose command line contains `text` (the benchmark's folder names every
    /// node, ffmpeg and PostgreSQL server it started), other than this one.
    static func commandLinesContaining(_ text: String) -> [String] {
        let own = getpid()
        return all().compactMap { entry -> String? in
            guard entry.pid != own, let data = FileManager.default.contents(atPath: "/proc/\(entry.pid)/cmdline") else { return nil }
            let line = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
            return line.contains(text) ? "\(entry.pid) \(line.prefix(160))" : nil
        }
    }
}

/// CPU and memory of a set of processes at one moment.
struct ResourceSample {
    var cpuSeconds: Double
    /// The part of ``cpuSeconds`` the ffmpeg processes used.
    var ffmpegCPUSeconds: Double
    var processes: Int
    var ffmpegs: Int
    var rssKiB: Int
    var pssKiB: Int
    /// The part of ``pssKiB`` of the ffmpeg processes.
    var ffmpegPSSKiB: Int

    /// The processes of `groups`, with their memory when `memory` (reading every process's
    /// page tables costs the kernel some time: read once, not in a loop).
    static func of(groups: Set<pid_t>, memory: Bool) -> ResourceSample {
        of(ProcessTable.all().filter { groups.contains($0.group) }, memory: memory)
    }

    static func of(_ entries: [ProcessTable.Entry], memory: Bool) -> ResourceSample {
        let ffmpegs = entries.filter { $0.command == "ffmpeg" }
        var sample = ResourceSample(cpuSeconds: ProcessTable.cpuSeconds(entries), ffmpegCPUSeconds: ProcessTable.cpuSeconds(ffmpegs),
                                    processes: entries.count, ffmpegs: ffmpegs.count, rssKiB: 0, pssKiB: 0, ffmpegPSSKiB: 0)
        if memory {
            for entry in entries {
                guard let used = ProcessTable.memoryKiB(entry.pid) else { continue }
                sample.rssKiB += used.rss
                sample.pssKiB += used.pss
                if entry.command == "ffmpeg" { sample.ffmpegPSSKiB += used.pss }
            }
        }
        return sample
    }
}
