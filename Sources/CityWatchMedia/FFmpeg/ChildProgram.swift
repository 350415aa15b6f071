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
    }

    /// Runs `path` with `arguments`; kills it after `timeout` seconds. With `stopsWhenCancelled`,
    /// also when the calling task is cancelled (then it throws `CancellationError` once the
    /// program has stopped). Without it a cancelled task still gets the whole run: a probe at
    /// shutdown must not read as "unplayable" to a caller that removes what does not play.
    public static func run(_ path: String, _ arguments: [String], timeout: TimeInterval = 300,
                           stopsWhenCancelled: Bool = false) async throws -> Output {
        let cancelled = Cancellation()
        let output = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try runBlocking(path, arguments, timeout: timeout, cancelled: cancelled) })
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

    private static func runBlocking(_ path: String, _ arguments: [String], timeout: TimeInterval, cancelled: Cancellation) throws -> Output {
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
        while done.wait(timeout: min(deadline, .now() + 0.25)) == .timedOut {
            guard cancelled.flag.load(ordering: .relaxed) || DispatchTime.now() >= deadline else { continue }
            process.terminate()
            if done.wait(timeout: .now() + 5) == .timedOut {
                process.forceKill()
                done.wait()
            }
            break
        }
        let exit = process.exitStatus ?? .init(status: -1, signalled: false)
        return Output(status: exit.signalled ? 128 + exit.status : exit.status,
                      standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      standardError: process.standardErrorTail.joined(separator: "\n"))
    }
}
