import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One ffmpeg child of the synthetic clip writer, with pipes to its standard input or output.
///
/// Every method blocks (pipe I/O, waiting for exit): call them only from a dedicated `Thread`,
/// never from Swift concurrency's cooperative pool, where a blocked thread can starve or
/// deadlock the whole process. Standard error is drained by a thread of its own, keeping the
/// tail, so a chatty ffmpeg never stalls on a full pipe.
final class SyntheticChildProcess {
    let stage: SyntheticClipFailure.Stage
    let commandLine: [String]
    private let process = Process()
    private let input: Pipe?
    private let output: Pipe?
    private let errorPipe = Pipe()   // kept open until the child is finished: the drain thread reads it
    private let errors = StandardErrorTail()
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `executable` with `arguments`; `feedsInput` gives it a pipe on standard input,
    /// `givesOutput` one on standard output (otherwise /dev/null).
    init(stage: SyntheticClipFailure.Stage, executable: String, arguments: [String],
         feedsInput: Bool, givesOutput: Bool) throws(SyntheticClipFailure) {
        self.stage = stage
        self.commandLine = [executable] + arguments
        input = feedsInput ? Pipe() : nil
        output = givesOutput ? Pipe() : nil
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input ?? FileHandle.nullDevice
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = errorPipe
        process.terminationHandler = { [exited] _ in exited.signal() }
        do {
            try Self.withSignalsUnblocked { try process.run() }
        } catch {
            throw SyntheticClipFailure(stage: stage, status: -1, reason: "could not start: \(error)", standardError: [], commandLine: commandLine)
        }
        errors.drain(errorPipe.fileHandleForReading.fileDescriptor)
    }

    /// Writes all of `bytes` to the child's standard input; false when it stopped reading.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let fd = input?.fileHandleForWriting.fileDescriptor, var next = bytes.baseAddress else { return false }
        var left = bytes.count
        while left > 0 {
            let written = Glibc.write(fd, next, left)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            next += written
            left -= written
        }
        return true
    }

    /// Fills `buffer` from the child's standard output; false when it ended first.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        guard let fd = output?.fileHandleForReading.fileDescriptor, var next = buffer.baseAddress else { return false }
        var left = buffer.count
        while left > 0 {
            let got = Glibc.read(fd, next, left)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return false }
            next += got
            left -= got
        }
        return true
    }

    /// Closes the child's standard input: the end of the frames.
    func closeInput() {
        try? input?.fileHandleForWriting.close()
    }

    /// Waits for the child to exit and throws unless it succeeded; `reason` overrides the
    /// failure's explanation (e.g. "gave 12 of 200 frames"), and makes even a clean exit a failure.
    func finish(failing reason: String? = nil) throws(SyntheticClipFailure) {
        closeInput()
        try? output?.fileHandleForReading.close()
        waitForExit()
        let lines = errors.lines()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        guard status != 0 || reason != nil else { return }
        throw SyntheticClipFailure(stage: stage, status: status, reason: reason ?? "exited with status \(status)",
                                   standardError: lines, commandLine: commandLine)
    }

    /// Stops the child (SIGTERM) and waits for it; for cancellation and for the error path.
    func stop() {
        if process.isRunning { process.terminate() }
        closeInput()
        try? output?.fileHandleForReading.close()
        waitForExit()
        _ = errors.lines()
    }

    /// Blocks until the child has exited. (Not `Process.waitUntilExit()`: off a run-loop thread
    /// it spins a core while it waits.)
    private func waitForExit() {
        exited.wait()
        exited.signal()
    }

    /// Runs `body` with no signal blocked on this thread. A child starts with its parent thread's
    /// signal mask, and threads of Dispatch's and Swift concurrency's pools — which started this
    /// one — block nearly all signals: an ffmpeg spawned with that mask would ignore SIGTERM.
    private static func withSignalsUnblocked<T>(_ body: () throws -> T) rethrows -> T {
        var none = sigset_t(), previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}

/// The tail of a child's standard error, read to the end on a thread of its own.
private final class StandardErrorTail: Sendable {
    private let text = Mutex<[UInt8]>([])
    private let done = DispatchSemaphore(value: 0)
    private static let keep = 8192

    /// Starts a thread that reads `fd` until end of file.
    func drain(_ fd: Int32) {
        Thread.detachNewThread { [self] in
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { break }
                text.withLock { kept in
                    kept.append(contentsOf: chunk[0..<got])
                    if kept.count > Self.keep { kept.removeFirst(kept.count - Self.keep) }
                }
            }
            done.signal()
        }
    }

    /// Waits for the end of the output and returns its last (at most 20) non-empty lines.
    func lines() -> [String] {
        done.wait()
        done.signal()
        let bytes = text.withLock { $0 }
        return Array(String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).suffix(20).map(String.init))
    }
}
