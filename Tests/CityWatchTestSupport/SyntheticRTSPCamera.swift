import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `scripts/rtsp-camera.py` running as a test peer: started, waited for until it prints
/// "ready", and stopped with SIGTERM. The blocking parts run on threads of their own.
///
/// `@unchecked Sendable`: the stored properties are set once in `init`; afterwards `Process` is
/// only terminated and waited for, and the pipe only read by one thread.
public final class SyntheticRTSPCamera: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let output: Pipe
    private let exited = DispatchSemaphore(value: 0)

    /// Starts the script serving `mounts` (name → MP4 file) on `port`; returns once it is ready.
    /// With `user` ("NAME:PASSWORD") every mount asks for it (Digest authentication).
    public static func start(port: Int, mounts: [String: URL], user: String? = nil) async throws -> SyntheticRTSPCamera {
        let camera = try SyntheticRTSPCamera(port: port, mounts: mounts, user: user)
        do {
            try await camera.waitUntilReady()
        } catch {
            await camera.stop()
            throw error
        }
        return camera
    }

    private init(port: Int, mounts: [String: URL], user: String?) throws {
        self.port = port
        process = Process()
        output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [RepositoryPaths.root.appendingPathComponent("scripts/rtsp-camera.py").path, "--port", String(port)]
            + (user.map { ["--user", $0] } ?? []) + mounts.map { "\($0.key)=\($0.value.path)" }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
    }

    /// The URL of mount `name`.
    public func url(_ name: String) -> String { "rtsp://127.0.0.1:\(port)/\(name)" }

    /// Reads the script's output until "ready" (or its end, which is a failure), for at most 10 s.
    private func waitUntilReady() async throws {
        let fd = output.fileHandleForReading.fileDescriptor
        let ready: Bool = await withCheckedContinuation { continuation in
            // Not a DispatchSemaphore: one released below its starting value crashes when freed.
            let once = Once()
            @Sendable func finish(_ value: Bool) { if once.claim() { continuation.resume(returning: value) } }
            Thread.detachNewThread {
                var seen: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 256)
                while true {
                    let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                    guard got > 0 || (got < 0 && errno == EINTR) else { return finish(false) }
                    seen += chunk.prefix(max(0, got))
                    if String(decoding: seen, as: UTF8.self).contains("ready") { return finish(true) }
                }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + 10) { finish(false) }
        }
        guard ready else { throw NotReady(port: port) }
    }

    /// The script ended or stayed silent for 10 s without printing "ready".
    public struct NotReady: Error { public var port: Int }

    /// Sends SIGTERM and waits (at most 10 s, then SIGKILL) for the script to exit; returns its
    /// exit status. (Not `waitUntilExit()`: off a run-loop thread it spins a core.)
    @discardableResult
    public func stop() async -> Int32 {
        let (process, exited) = (process, exited)
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                if process.isRunning { process.terminate() }
                if exited.wait(timeout: .now() + 10) == .timedOut {
                    kill(process.processIdentifier, SIGKILL)
                    exited.wait()
                }
                continuation.resume(returning: process.terminationStatus)
            }
        }
    }
}

/// True exactly once, for the first caller.
private final class Once: Sendable {
    private let done = Mutex(false)

    func claim() -> Bool {
        done.withLock { done in
            defer { done = true }
            return !done
        }
    }
}

extension SyntheticRTSPCamera {
    /// True when Debian's Python has the GStreamer RTSP server bindings the script needs.
    public static let available: Bool = {
        (try? runProgram("/usr/bin/python3", ["-c", "import gi; gi.require_version('GstRtspServer', '1.0')"])) != nil
    }()

    /// A free TCP port on the loopback interface.
    public static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
