#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The machine a benchmark ran on and how busy it was: what BENCHMARKS.md records beside the
/// figures, since other work (another engineer's build) may share the cores.
enum MachineState {
    /// Cores, memory and CPU model, e.g. `2 cores, 24 GiB, AMD EPYC 7B13`.
    static var description: String {
        let model = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("model name") }.map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        return "\(cores) cores, \(String(format: "%.0f", memoryMiB / 1024)) GiB, \(model)"
    }

    /// Memory of the machine in MiB.
    static var memoryMiB: Double {
        ((try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("MemTotal:") }.flatMap { Double($0.split(separator: " ")[1]) } ?? 0) / 1024
    }

    static var cores: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// `/proc/loadavg`'s three load averages.
    static var loadAverage: String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// Busy and total CPU ticks of the whole machine so far (`/proc/stat`), to see how much of
    /// its cores a measured stretch left idle.
    static func cpuTicks() -> (busy: Double, total: Double) {
        guard let line = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8))?.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return (0, 0) }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard values.count >= 5 else { return (0, 0) }
        let idle = values[3] + values[4] // idle + iowait
        let total = values.prefix(8).reduce(0, +)
        return (total - idle, total)
    }

    /// The share of the machine's CPU in use between two readings of ``cpuTicks()``.
    static func busyShare(from start: (busy: Double, total: Double), to end: (busy: Double, total: Double)) -> Double {
        let total = end.total - start.total
        return total > 0 ? (end.busy - start.busy) / total : .nan
    }
}

/// Waiting for a condition with a progress line every few seconds, and a clear error on timeout.
enum Waiting {
    /// Checks `check` every `every` until it says done; prints its status line every
    /// `report` seconds; after `timeout` throws with the last status and `context`.
    static func waitUntil(_ what: String, timeout: Double, every: Duration = .milliseconds(500), report: Double = 5,
                          context: @Sendable () -> String = { "" },
                          _ check: () async throws -> (done: Bool, status: String)) async throws -> Double {
        let start = Date()
        var lastReport = start, status = ""
        while true {
            let (done, now) = try await check()
            status = now
            let elapsed = Date().timeIntervalSince(start)
            if done { return elapsed }
            if elapsed > timeout {
                throw BenchFailure("\(what): not after \(Int(timeout)) s (\(status))\n\(context())")
            }
            if Date().timeIntervalSince(lastReport) >= report {
                print(String(format: "    %5.1f s: %@", elapsed, status))
                lastReport = Date()
            }
            try await Task.sleep(for: every)
        }
    }
}
