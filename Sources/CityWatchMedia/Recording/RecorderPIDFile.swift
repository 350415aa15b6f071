#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The process id of a camera's ffmpeg, kept in its runtime folder, so that a server that was
/// killed outright (SIGKILL, a power cut of the service manager, a crash) can end the recorder
/// it left behind before it starts a new one.
///
/// An orphaned ffmpeg usually ends by itself once its pipes have no reader, but not at once: while
/// it lives it writes segments into the same folder as the new recorder, and the index reconcile
/// at start would probe a file it is still writing. Ending it first (SIGTERM, so it closes its
/// segment cleanly; SIGKILL after a grace period) leaves one writer per camera folder.
///
/// Only a process whose command line names the camera's own segment folder is ever signalled:
/// a recycled process id belonging to something else is left alone.
public struct RecorderPIDFile: Sendable {
    /// The file holding the process id.
    public let path: String
    /// The camera's segment folder; the recorder's command line contains it.
    public let segmentFolder: String

    public init(runtimeFolder: String, segmentFolder: String) {
        self.path = (runtimeFolder as NSString).appendingPathComponent("ffmpeg.pid")
        self.segmentFolder = segmentFolder
    }

    /// Notes `pid` as the camera's recorder.
    public func write(_ pid: pid_t) {
        try? "\(pid)\n".write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Forgets the recorder (it ended).
    public func remove() {
        unlink(path)
    }

    /// The recorder an earlier server left running, if it is still alive and still ours.
    public func orphan() -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1, pid != getpid(),
              kill(pid, 0) == 0 else { return nil }
        guard let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return nil }
        // Arguments are separated by NUL bytes; the segment pattern argument starts with the folder.
        let arguments = command.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        let folder = segmentFolder.hasSuffix("/") ? segmentFolder : segmentFolder + "/"
        return arguments.contains { $0.hasPrefix(folder) } ? pid : nil
    }

    /// Ends an orphaned recorder: SIGTERM, then SIGKILL after `grace`. Returns its process id
    /// when there was one.
    @discardableResult
    public func endOrphan(grace: Duration = .seconds(3)) async -> pid_t? {
        guard let pid = orphan() else {
            remove()
            return nil
        }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, Self.alive(pid) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if Self.alive(pid) {
            kill(pid, SIGKILL)
            while Self.alive(pid), ContinuousClock.now < deadline + .seconds(2) {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        remove()
        return pid
    }

    /// True while `pid` runs (a zombie of another parent counts as ended).
    static func alive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z"
    }
}
