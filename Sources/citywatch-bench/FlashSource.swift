import CityWatchMedia
import Foundation
import Synchronization

/// A camera made for measuring latency: paints noisy 640×360 frames that flip between black and
/// white every 2 s, hands them to an x264 zero-latency encoder at 25 fps, and serves the result
/// as MPEG-TS over HTTP (`ffmpeg -listen 1`). Remembers when each flip was handed over.
final class FlashSource: Sendable {
    struct Flip: Sendable {
        var time: Double
        var white: Bool
    }

    let url: String
    private let process: Process
    private let input: FileHandle
    private final class Shared: Sendable {
        let flips = Mutex<[Flip]>([])
        let running = Mutex(true)
    }

    private let shared = Shared()

    init(port: Int) throws {
        url = "http://127.0.0.1:\(port)/live.ts"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MediaTools().ffmpeg)
        process.arguments = ["-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "gray", "-s", "640x360", "-r", "25", "-i", "pipe:0",
                             "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-b:v", "2M", "-maxrate", "2M", "-bufsize", "500k",
                             "-pix_fmt", "yuv420p",
                             "-f", "mpegts", "-listen", "1", url]
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.input = pipe.fileHandleForWriting
        let (input, shared) = (pipe.fileHandleForWriting, self.shared)
        Thread.detachNewThread {
            signal(SIGPIPE, SIG_IGN)
            let start = Date().timeIntervalSince1970
            var frame = 0
            var white = false
            // Noisy frames give a camera-like bit rate (capped at 2 Mbit/s by the encoder).
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            let noise = (0..<8).map { _ in
                (0..<(640 * 360)).map { _ -> UInt8 in
                    state ^= state << 13; state ^= state >> 7; state ^= state << 17
                    return UInt8(truncatingIfNeeded: state % 51)
                }
            }
            while shared.running.withLock({ $0 }) {
                let due = start + Double(frame) / 25
                let wait = due - Date().timeIntervalSince1970
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                let flip = frame % 50 == 0 && frame > 0
                if flip { white.toggle() }
                let base: UInt8 = white ? 190 : 10
                let bytes = Data(noise[frame % noise.count].map { base &+ $0 })
                if flip { shared.flips.withLock { $0.append(Flip(time: Date().timeIntervalSince1970, white: white)) } }
                do { try input.write(contentsOf: bytes) } catch { return }
                frame += 1
            }
        }
    }

    /// The flips so far.
    var flips: [Flip] { shared.flips.withLock { $0 } }

    func stop() {
        shared.running.withLock { $0 = false }
        try? input.close()
        kill(process.processIdentifier, SIGKILL)
    }
}
