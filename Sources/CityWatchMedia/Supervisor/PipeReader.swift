#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Reads a named pipe (FIFO) on a thread of its own and hands every chunk to a callback.
///
/// The pipe is opened read-write, so opening never blocks and the writer (ffmpeg) may come and
/// go; the thread polls with a short timeout so it notices ``stop()`` promptly. Reading never
/// waits on the consumer: the callback must be quick (copy, count, drop), which keeps the
/// writer — and so the recording — from ever blocking on a full pipe.
final class PipeReader: Sendable {
    /// Set to end the reading thread.
    private final class StopFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    private let stopped = StopFlag()
    let path: String

    /// Creates the FIFO at `path` (replacing any file there).
    static func makeFIFO(at path: String) throws {
        unlink(path)
        guard mkfifo(path, 0o600) == 0 else {
            throw MediaFailure(operation: "mkfifo \(path)", status: errno, message: String(cString: strerror(errno)))
        }
    }

    /// Starts reading `path`; `onData` runs on the reader thread for every chunk.
    init(path: String, onData: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw MediaFailure(operation: "open \(path)", status: errno, message: String(cString: strerror(errno))) }
        // A larger pipe absorbs bursts (a keyframe) while the thread is descheduled.
        _ = fcntl(fd, 1031 /* F_SETPIPE_SZ */, Int32(1 << 20))
        let stopped = self.stopped
        let thread = Thread {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
            defer {
                buffer.deallocate()
                close(fd)
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while !stopped.value.load(ordering: .relaxed) {
                poller.revents = 0
                let ready = poll(&poller, 1, 250)
                if ready <= 0 { continue }
                let count = read(fd, buffer.baseAddress, buffer.count)
                if count > 0 { onData(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
            }
        }
        thread.name = "cw-pipe"
        thread.start()
    }

    /// Stops the thread (within a quarter second) and closes the pipe.
    func stop() {
        stopped.value.store(true, ordering: .relaxed)
    }
}

/// A failure of an operating-system call or a media program, with its code and message.
public struct MediaFailure: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var status: Int32
    public var message: String

    public init(operation: String, status: Int32, message: String) {
        self.operation = operation
        self.status = status
        self.message = message
    }

    public var description: String { "\(operation) failed (\(status)): \(message)" }
}
