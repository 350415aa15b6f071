import CityWatchDomain
import CityWatchMedia
import CityWatchTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the synthetic-camera tests share: small scenes, ffprobe, the RTSP test peer.
enum SyntheticFixtures {
    static let tools = MediaTools()

    /// True when ffmpeg and ffprobe are installed.
    static var ffmpegAvailable: Bool { tools.available }

    /// True when Debian's Python has the GStreamer RTSP server bindings the camera script needs.
    static let rtspServerAvailable: Bool = {
        (try? runProgram("/usr/bin/python3", ["-c", "import gi; gi.require_version('GstRtspServer','1.0')"])) != nil
    }()

    /// OpenCV's campus clip, when the shared data is present.
    static let campusVideo = RepositoryPaths.sharedData("vtest.avi")
    static var campusVideoAvailable: Bool { FileManager.default.fileExists(atPath: campusVideo.path) }

    static let background = SceneColor(gray: 110)

    /// One object of `objectClass` crossing a small plain scene from partly off the left edge to
    /// partly off the right one, with camera shake, so boxes get clipped and jitter.
    static func crossing(_ objectClass: SceneObjectClass, size: (Int, Int), shake: Int = 2) -> SyntheticScene {
        let object = SceneObject(id: 7, objectClass: objectClass, width: size.0, height: size.1, color: SceneColor(red: 200, green: 40, blue: 40),
                                 path: [.init(time: 0, x: 0, y: 150), .init(time: 2, x: 320, y: 175)])
        return SyntheticScene(name: "crossing-\(objectClass.rawValue)", width: 320, height: 180, fps: 10, duration: 2,
                              seed: 3, background: .plain(color: background), objects: [object],
                              effects: SceneEffects(shake: shake))
    }

    /// The tight box of the pixels of `frame` (RGB24) that differ from `background`, or nil.
    static func paintedBox(_ frame: [UInt8], width: Int, height: Int, background: SceneColor = background) -> PixelBox? {
        var (left, top, right, bottom) = (Int.max, Int.max, -1, -1)
        for row in 0..<height {
            for column in 0..<width where isPainted(frame, column, row, width, background) {
                (left, top, right, bottom) = (min(left, column), min(top, row), max(right, column), max(bottom, row))
            }
        }
        return right < 0 ? nil : PixelBox(x: left, y: top, width: right - left + 1, height: bottom - top + 1)
    }

    /// True when the pixel at (`column`, `row`) differs from `background`.
    static func isPainted(_ frame: [UInt8], _ column: Int, _ row: Int, _ width: Int, _ background: SceneColor = background) -> Bool {
        let offset = (row * width + column) * 3
        return frame[offset] != background.red || frame[offset + 1] != background.green || frame[offset + 2] != background.blue
    }

    /// ffprobe's view of a video file: stream facts, frame types in decoding order, duration.
    struct Probe: Decodable {
        struct Stream: Decodable {
            var width: Int
            var height: Int
            var has_b_frames: Int
            var nb_read_frames: String?
            var codec_name: String
        }
        struct Frame: Decodable { var pict_type: String }
        struct Format: Decodable { var duration: String }
        var streams: [Stream]
        var frames: [Frame]
        var format: Format

        var frameCount: Int { Int(streams.first?.nb_read_frames ?? "") ?? -1 }
        var duration: Double { Double(format.duration) ?? -1 }
        var bFrameCount: Int { frames.filter { $0.pict_type == "B" }.count }
    }

    static func probe(_ file: URL) async throws -> Probe {
        let json = try await runProgramDetached(tools.ffprobe, [
            "-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=width,height,has_b_frames,nb_read_frames,codec_name:frame=pict_type:format=duration",
            "-of", "json", file.path,
        ])
        return try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
    }

    /// A TCP port nobody listens on right now (the kernel's pick).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
