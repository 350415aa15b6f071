import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Decodes a real clip into analysis frames with an ffmpeg child: resampled to a frame rate,
/// scaled to fit the analysis frame with its aspect kept (letterboxed when it differs), and
/// written raw to a pipe — production's analysis output, read back frame by frame.
///
/// The pipe is read by a `Thread` of its own, never by Swift concurrency's cooperative pool,
/// where a blocking read could starve other work; frames reach the caller through an
/// `AsyncThrowingStream`.
public struct VideoFrameReader: Sendable {
    /// The ffmpeg executable.
    public var ffmpeg: String

    public init(ffmpeg: String = "/usr/bin/ffmpeg") {
        self.ffmpeg = ffmpeg
    }

    /// ffmpeg failed to start or ended with an error.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// ffmpeg's exit status, or -1 when it could not be started.
        public var code: Int32
        /// What was being done.
        public var message: String
        /// The last lines ffmpeg wrote to standard error, or the start error.
        public var cause: String

        public var description: String { "\(message) (status \(code)): \(cause)" }
    }

    /// ffmpeg's arguments for `path` at `width` × `height`, `fps`, in `format`.
    public func arguments(path: String, width: Int, height: Int, fps: Int, format: AnalysisPixelFormat) -> [String] {
        let filter = "fps=\(fps),scale=\(width):\(height):force_original_aspect_ratio=decrease,"
            + "pad=\(width):\(height):(ow-iw)/2:(oh-ih)/2"
        return ["-nostdin", "-v", "error", "-i", path, "-vf", filter, "-f", "rawvideo", "-pix_fmt", format.rawValue, "-"]
    }

    /// The frames of `path`, in order; the stream ends at the clip's end and throws a
    /// ``Failure`` if ffmpeg does. Stopping early (cancelling the consumer) ends the child.
    public func frames(of path: String, width: Int, height: Int, fps: Int,
                       format: AnalysisPixelFormat) -> AsyncThrowingStream<[UInt8], any Error> {
        let frameBytes = format.frameByteCount(width: width, height: height)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = arguments(path: path, width: width, height: height, fps: fps, format: format)
        let output = Pipe(), errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        return AsyncThrowingStream(bufferingPolicy: .bufferingOldest(8)) { continuation in
            continuation.onTermination = { _ in if process.isRunning { process.terminate() } }
            let reader = Thread {
                do {
                    try Self.withSignalsUnblocked { try process.run() }
                } catch {
                    continuation.finish(throwing: Failure(code: -1, message: "cannot start \(ffmpeg)", cause: "\(error)"))
                    return
                }
                // Standard error is read to its end on its own thread, so ffmpeg never blocks on it.
                let errorText = ErrorText()
                Thread.detachNewThread { errorText.set(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)) }
                let handle = output.fileHandleForReading
                while true {
                    let data = handle.readData(ofLength: frameBytes)
                    guard data.count == frameBytes else { break }   // end of clip (a partial frame is dropped)
                    // Wait while the consumer is behind rather than dropping frames.
                    while case .dropped = continuation.yield([UInt8](data)) { Thread.sleep(forTimeInterval: 0.002) }
                }
                process.waitUntilExit()
                while !errorText.isSet { Thread.sleep(forTimeInterval: 0.001) }
                if process.terminationStatus == 0 || process.terminationReason == .uncaughtSignal {
                    continuation.finish()
                } else {
                    let tail = errorText.value.split(separator: "\n").suffix(5).joined(separator: "\n")
                    continuation.finish(throwing: Failure(code: process.terminationStatus, message: "ffmpeg could not decode \(path)",
                                                          cause: tail))
                }
            }
            reader.start()
        }
    }

    /// Runs `body` with no signal blocked on this thread. A child starts with the signal mask of
    /// the thread that spawns it, and a thread started from Swift concurrency's or Dispatch's
    /// pools blocks nearly every signal: an ffmpeg spawned with that mask ignores SIGTERM.
    private static func withSignalsUnblocked<T>(_ body: () throws -> T) rethrows -> T {
        var none = sigset_t(), previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}

/// ffmpeg's standard error, handed from the thread that reads it to the one that reports.
/// `@unchecked Sendable`: every access goes through the lock.
private final class ErrorText: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?

    func set(_ value: String) { lock.withLock { text = value } }
    var isSet: Bool { lock.withLock { text != nil } }
    var value: String { lock.withLock { text ?? "" } }
}
