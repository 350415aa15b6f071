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
        let stop = Stop()
        let output = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try runBlocking(path, arguments, timeout: timeout, stop: stop) })
                }
            }
        } onCancel: {
            if stopsWhenCancelled { stop.cancel() }
        }
        if stopsWhenCancelled { try Task.checkCancellation() }
        return output
    }

    /// The running program, for a cancellation that may come before it starts or after it ended.
    private final class Stop: Sendable {
        private let state = Mutex<(process: MediaProcess?, cancelled: Bool)>((nil, false))

        /// Notes the program started; false (and nothing started) when already cancelled.
        func started(_ process: MediaProcess) -> Bool {
            state.withLock { state in
                state.process = process
                return !state.cancelled
            }
        }

        func cancel() {
            let process = state.withLock { state in
                state.cancelled = true
                return state.process
            }
            guard let process else { return }
            process.terminate()
            // (ffmpeg stops at SIGTERM; a program that does not is killed)
            DispatchQueue.global().asyncAfter(deadline: .now() + 5) { process.forceKill() }
        }
    }

    private static func runBlocking(_ path: String, _ arguments: [String], timeout: TimeInterval, stop: Stop) throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cw-run-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outPath = folder.appendingPathComponent("out").path
        let done = DispatchSemaphore(value: 0)
        let process = try MediaProcess(path: path, arguments: arguments,
                                       environment: ProcessInfo.processInfo.environment.merging(["TZ": "UTC"]) { $1 },
                                       standardOutputPath: outPath) { _ in done.signal() }
        if !stop.started(process) { stop.cancel() }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if done.wait(timeout: .now() + 5) == .timedOut {
                process.forceKill()
                done.wait()
            }
        }
        let exit = process.exitStatus ?? .init(status: -1, signalled: false)
        return Output(status: exit.signalled ? 128 + exit.status : exit.status,
                      standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      standardError: process.standardErrorTail.joined(separator: "\n"))
    }
}
