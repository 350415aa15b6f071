import CityWatchDomain
import Foundation

/// Makes JPEG snapshots with ffmpeg: of an analysis frame (for events: the very frame that
/// fired the rule) and of a camera's latest keyframe (for drawing rules on the full picture).
public struct SnapshotMaker: Sendable {
    /// Why a snapshot could not be made.
    public struct Failure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "snapshot failed: \(reason)" }
    }

    public var tools: MediaTools

    public init(tools: MediaTools = MediaTools()) {
        self.tools = tools
    }

    /// Writes a yuv420p frame of `width × height` to `path` as a JPEG `outputWidth` wide, with
    /// `masks` (``PrivacyMaskFilter``) blacked out. `pictureSize` is the camera's real picture
    /// when the frame was scaled to another shape (analysis frames are always 16:9): the JPEG
    /// takes the real shape back, so a wide camera is not squashed. Boxes given as fractions of
    /// the frame stay where they were.
    public func jpeg(yuv420p pixels: [UInt8], width: Int, height: Int, outputWidth: Int = 640, pictureSize: (width: Int, height: Int)? = nil,
                     masks: [ImagePolygon] = [], to path: String) async throws {
        let input = try Self.temporaryFile(pixels, suffix: "yuv")
        defer { try? FileManager.default.removeItem(atPath: input) }
        try await run(["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", "\(width)x\(height)", "-i", input,
                       "-vf", ([PrivacyMaskFilter.filter(for: masks)].compactMap { $0 }
                               + ["scale=\(outputWidth):\(Self.outputHeight(width: outputWidth, picture: pictureSize)):flags=bicubic"])
                           .joined(separator: ",")], to: path)
    }

    /// The height of a JPEG `width` wide in the shape of `picture` (even, 16–4096): `-2`, ffmpeg's
    /// "keep the frame's shape", when the picture's size is unknown.
    static func outputHeight(width: Int, picture: (width: Int, height: Int)?) -> Int {
        guard let picture, picture.width > 0, picture.height > 0 else { return -2 }
        let height = Double(width) * Double(picture.height) / Double(picture.width)
        return min(4_096, max(16, Int((height / 2).rounded()) * 2))
    }

    /// Writes the first frame of a short MP4 (``LiveHub/latestKeyframeClip()``) to `path` as a
    /// JPEG, with `masks` blacked out.
    public func jpeg(clip: [UInt8], masks: [ImagePolygon] = [], to path: String) async throws {
        let input = try Self.temporaryFile(clip, suffix: "mp4")
        defer { try? FileManager.default.removeItem(atPath: input) }
        try await run(["-i", input] + (PrivacyMaskFilter.filter(for: masks).map { ["-vf", $0] } ?? []), to: path)
    }

    /// How far before the asked moment a thumbnail may come from when nothing was written at it
    /// (the end of a segment whose name is rounded down to the second, or the fragment still
    /// being written at the end of the open segment).
    public static let thumbnailLeeway = 3.0

    /// Writes the frame `seconds` into a recorded file to `path` as a JPEG `outputWidth` wide,
    /// with `masks` blacked out (search thumbnails). A moment past the file's last frame takes
    /// the last one up to ``thumbnailLeeway`` earlier: ffmpeg seeking past the end writes
    /// nothing and still succeeds.
    public func jpeg(file: String, at seconds: Double, outputWidth: Int = 320, masks: [ImagePolygon] = [], to path: String) async throws {
        let filters = [PrivacyMaskFilter.filter(for: masks)].compactMap { $0 } + ["scale=\(outputWidth):-2"]
        try? FileManager.default.removeItem(atPath: path)
        for seek in [max(0, seconds), max(0, seconds - Self.thumbnailLeeway)] {
            // From `seek` on, the last frame read within the leeway (or the first one, at `seconds`).
            let window = seek < seconds ? ["-t", String(format: "%.3f", seconds - seek + 0.001), "-update", "1"] : []
            try await run(["-ss", String(format: "%.3f", seek), "-i", file] + window + ["-vf", filters.joined(separator: ",")],
                          to: path, frames: window.isEmpty ? 1 : nil)
            if FileManager.default.fileExists(atPath: path) { return }
            if seek == 0 { break }
        }
        throw Failure(reason: String(format: "nothing recorded at %.1f s of the file", seconds))
    }

    /// Runs ffmpeg on `input` writing `frames` JPEG frames (nil: every frame read, each over the
    /// last) to `path`.
    private func run(_ input: [String], to path: String, frames: Int? = 1) async throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let count = frames.map { ["-frames:v", String($0)] } ?? []
        let output = try await ChildProgram.run(tools.ffmpeg, ["-hide_banner", "-loglevel", "error", "-y"] + input
                                                + count + ["-q:v", "4", "-f", "image2", "-c:v", "mjpeg", path], timeout: 20)
        guard output.status == 0 else {
            throw Failure(reason: output.standardError.split(separator: "\n").last.map(String.init) ?? "ffmpeg exited with \(output.status)")
        }
    }

    private static func temporaryFile(_ bytes: [UInt8], suffix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-snapshot-\(UUID().uuidString).\(suffix)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
