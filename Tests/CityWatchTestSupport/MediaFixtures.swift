import Foundation

/// Short H.264 clips made with real ffmpeg for the media tests.
public enum MediaFixtures {
    public static let ffmpeg = "/usr/bin/ffmpeg"
    public static let ffprobe = "/usr/bin/ffprobe"
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: ffmpeg) }

    /// A test-pattern clip: `seconds` long, a keyframe every `gop` frames at 25 fps, with or
    /// without B-frames. Made once per process and shape.
    public static func clip(seconds: Int = 6, gop: Int = 25, bFrames: Bool = true) throws -> String {
        let folder = RegistryFixtures.folderForMedia
        let path = folder.appendingPathComponent("pattern-\(seconds)s-g\(gop)-\(bFrames ? "b" : "nob").mp4").path
        if FileManager.default.fileExists(atPath: path) { return path }
        let partial = path + ".\(UUID().uuidString.prefix(8)).partial.mp4"
        _ = try runProgram(ffmpeg, ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
                                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000",
                                    "-t", "\(seconds)", "-c:v", "libx264", "-preset", "veryfast", "-g", "\(gop)",
                                    "-bf", bFrames ? "2" : "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-y", partial])
        // Tests run in parallel: another may have made the same clip meanwhile.
        if (try? FileManager.default.moveItem(atPath: partial, toPath: path)) == nil { try? FileManager.default.removeItem(atPath: partial) }
        return path
    }

    /// The clip stream-copied to a fragmented MP4 exactly as the live output writes it.
    public static func liveStream(of clip: String) throws -> [UInt8] {
        let out = RegistryFixtures.folderForMedia.appendingPathComponent("live-\(UUID().uuidString.prefix(8)).mp4").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try runProgram(ffmpeg, ["-hide_banner", "-loglevel", "error", "-i", clip, "-map", "0:v:0", "-c", "copy", "-an",
                                    "-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof",
                                    "-frag_duration", "200000", "-y", out])
        return Array(try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    /// The mean luma of the left and right parts of a video's first frame (columns 0–46 % and
    /// 53–100 %), to see whether a mask over the left half was drawn in.
    public static func firstFrameHalves(of path: String) throws -> (left: Double, right: Double) {
        let gray = RegistryFixtures.folderForMedia.appendingPathComponent("halves-\(UUID().uuidString.prefix(8)).gray").path
        defer { try? FileManager.default.removeItem(atPath: gray) }
        _ = try runProgram(ffmpeg, ["-hide_banner", "-loglevel", "error", "-i", path, "-frames:v", "1",
                                    "-vf", "scale=64:36", "-f", "rawvideo", "-pix_fmt", "gray", "-y", gray])
        let pixels = [UInt8](try Data(contentsOf: URL(fileURLWithPath: gray)))
        guard pixels.count == 64 * 36 else { return (-1, -1) }
        func mean(_ columns: Range<Int>) -> Double {
            var sum = 0, count = 0
            for row in 0..<36 { for column in columns { sum += Int(pixels[row * 64 + column]); count += 1 } }
            return Double(sum) / Double(count)
        }
        return (mean(0..<30), mean(34..<64))
    }

    /// The same for video bytes (a fragmented MP4 received from a live socket).
    public static func firstFrameHalves(of bytes: [UInt8]) throws -> (left: Double, right: Double) {
        let path = RegistryFixtures.folderForMedia.appendingPathComponent("received-\(UUID().uuidString.prefix(8)).mp4").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try firstFrameHalves(of: path)
    }

    /// ffprobe's view of a file: stream types, and the video's duration in seconds.
    public static func probe(_ path: String) throws -> (streams: [String], duration: Double) {
        let types = try runProgram(ffprobe, ["-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", path])
            .split(separator: "\n").map(String.init)
        let duration = try runProgram(ffprobe, ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path])
        return (types, Double(duration.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0)
    }
}

extension RegistryFixtures {
    /// A folder for media test files, removed when the test process exits.
    public static let folderForMedia: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-media-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: RegistryFixtures.folderForMedia) }
        return url
    }()
}
