import CityWatchDetection
import Foundation

/// The shared model and sample video, found next to the repository (`../shared/…`) or where
/// `CITYWATCH_DETECTOR_MODEL` / `CITYWATCH_VTEST` point; tests skip when either is absent.
enum DetectionFixtures {
    static let sharedFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static let modelPath = ProcessInfo.processInfo.environment["CITYWATCH_DETECTOR_MODEL"]
        ?? sharedFolder.appendingPathComponent("models/yolox_nano.onnx").path
    static let videoPath = ProcessInfo.processInfo.environment["CITYWATCH_VTEST"]
        ?? sharedFolder.appendingPathComponent("data/vtest.avi").path

    static let width = 768
    static let height = 576

    static var modelAvailable: Bool { FileManager.default.isReadableFile(atPath: modelPath) }
    static var videoAvailable: Bool {
        FileManager.default.isReadableFile(atPath: videoPath) && ffmpegPath != nil
    }

    /// One detector for the whole suite: loading takes a while, and tests running in parallel
    /// through it also exercise its lock.
    static let detector: ObjectDetector? = try? ObjectDetector(modelPath: modelPath)

    /// The first frame of vtest.avi as tightly packed RGB, decoded once.
    static let firstFrameRGB: [UInt8]? = try? decodeFrames(count: 1)

    /// The first frame as gray (ITU-R BT.601 luma, as ffmpeg's `gray` output would give).
    static var firstFrameGray: [UInt8]? {
        firstFrameRGB.map { rgb in
            (0..<(width * height)).map { pixel in
                let r = Int(rgb[pixel * 3]), g = Int(rgb[pixel * 3 + 1]), b = Int(rgb[pixel * 3 + 2])
                return UInt8((r * 299 + g * 587 + b * 114 + 500) / 1000)
            }
        }
    }

    static var ffmpegPath: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/ffmpeg" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The first `count` frames of vtest.avi, RGB, one after another.
    static func decodeFrames(count: Int) throws -> [UInt8] {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("citywatch-vtest-\(UUID().uuidString).rgb")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpegPath ?? "/usr/bin/ffmpeg")
        process.arguments = ["-v", "error", "-i", videoPath, "-frames:v", "\(count)",
                             "-f", "rawvideo", "-pix_fmt", "rgb24", "-y", output.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw DecodeFailure(status: process.terminationStatus) }
        let bytes = [UInt8](try Data(contentsOf: output))
        guard bytes.count == width * height * 3 * count else { throw DecodeFailure(status: -1) }
        return bytes
    }

    struct DecodeFailure: Error {
        var status: Int32
    }
}
