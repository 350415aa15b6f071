import Foundation
import Synchronization

/// Runs a short-lived program (ffprobe, an ffmpeg cut) to completion without blocking Swift
/// concurrency's threads: the wait happens on a thread of its own.
public enum ChildProgram {
    /// What a program did.
    public struct Output: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
        /// Why it was stopped, when it was stopped for taking too long or for going quiet.
        public var stoppedBecause: String?
    }

    /// Runs `path` with `arguments`; kills it after `timeout` seconds. With `stopsWhenCancelled`,
    /// also when the calling task is cancelled (then it throws `CancellationError` once the
    /// program has stopped). Without it a cancelled task still gets the whole run: a probe at
    /// shutdown must not read as "unplayable" to a caller that removes what does not play.
    ///
    /// `onOutput` hears the program's standard output as it comes (in pieces of whole lines, a
    /// few times a second), for programs that report their progress there (ffmpeg's
    /// `-progress pipe:1`); with `idleTimeout` the program is also killed when it has written
    /// nothing there for that long (stuck, not slow).
    public static func run(_ path: String, _ arguments: [String], timeout: TimeInterval = 300, idleTimeout: TimeInterval? = nil,
                           stopsWhenCancelled: Bool = false, onOutput: (@Sendable (String) -> Void)? = nil) async throws -> Output {
        let cancelled = Cancellation()
        let watch = Watch(idleTimeout: idleTimeout, onOutput: onOutput)
        let output = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try runBlocking(path, arguments, timeout: timeout, cancelled: cancelled, watch: watch) })
                }
            }
        } onCancel: {
            if stopsWhenCancelled { cancelled.flag.store(true, ordering: .relaxed) }
        }
        if stopsWhenCancelled { try Task.checkCancellation() }
        return output
    }

    /// Set when the caller's task is cancelled and the program is to stop.
    private final class Cancellation: Sendable {
        let flag = Atomic(false)
    }

    /// What is watched of the output while the program runs.
    private struct Watch: Sendable {
        var idleTimeout: TimeInterval?
        var onOutput: (@Sendable (String) -> Void)?
    }

    /// Reads what a program appended to its output file since the last read, up to the last
    /// whole line.
    private final class OutputFollower {
        let path: String
        var offset: UInt64 = 0
        var handle: FileHandle?

        init(path: String) {
            self.path = path
        }

        /// The new whole lines, or nil when nothing new came.
        func read() -> String? {
            if handle == nil { handle = FileHandle(forReadingAtPath: path) }
            guard let handle else { return nil }
            try? handle.seek(toOffset: offset)
            guard let data = try? handle.readToEnd(), let end = data.lastIndex(of: UInt8(ascii: "\n")) else { return nil }
            let lines = data[data.startIndex...end]
            offset += UInt64(lines.count)
            return String(decoding: lines, as: UTF8.self)
        }

        deinit { try? handle?.close() }
    }

    private static func runBlocking(_ path: String, _ arguments: [String], timeout: TimeInterval, cancelled: Cancellation,
                                    watch: Watch) throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cw-run-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outPath = folder.appendingPathComponent("out").path
        let done = DispatchSemaphore(value: 0)
        let process = try MediaProcess(path: path, arguments: arguments,
                                       environment: ProcessInfo.processInfo.environment.merging(["TZ": "UTC"]) { $1 },
                                       standardOutputPath: outPath) { _ in done.signal() }
        // Waits for the exit in quarter seconds, so a cancellation is seen as soon as a timeout is;
        // either way the program gets SIGTERM, and SIGKILL 5 s later.
        let deadline = DispatchTime.now() + timeout
        let follower = watch.onOutput != nil || watch.idleTimeout != nil ? OutputFollower(path: outPath) : nil
        var lastOutput = DispatchTime.now()
        var stoppedBecause: String?
        while done.wait(timeout: min(deadline, .now() + 0.25)) == .timedOut {
            if let follower, let lines = follower.read() {
                lastOutput = .now()
                watch.onOutput?(lines)
            }
            let idle = watch.idleTimeout.map { DispatchTime.now() >= lastOutput + $0 } ?? false
            let late = DispatchTime.now() >= deadline
            guard cancelled.flag.load(ordering: .relaxed) || idle || late else { continue }
            if late {
                stoppedBecause = "it ran longer than \(Int(timeout)) s"
            } else if idle, let quiet = watch.idleTimeout {
                stoppedBecause = "it reported no progress for \(Int(quiet)) s"
            }
            process.terminate()
            if done.wait(timeout: .now() + 5) == .timedOut {
                process.forceKill()
                done.wait()
            }
            break
        }
        if let follower, let lines = follower.read() { watch.onOutput?(lines) }
        let exit = process.exitStatus ?? .init(status: -1, signalled: false)
        return Output(status: exit.signalled ? 128 + exit.status : exit.status,
                      standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      standardError: process.standardErrorTail.joined(separator: "\n"), stoppedBecause: stoppedBecause)
    }
}
