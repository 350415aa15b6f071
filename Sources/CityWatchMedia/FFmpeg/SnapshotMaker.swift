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

    /// Writes a yuv420p frame of `width × height` to `path` as a JPEG, scaled to `outputWidth`,
    /// with `masks` (``PrivacyMaskFilter``) blacked out.
    public func jpeg(yuv420p pixels: [UInt8], width: Int, height: Int, outputWidth: Int = 640, masks: [ImagePolygon] = [],
                     to path: String) async throws {
        let input = try Self.temporaryFile(pixels, suffix: "yuv")
        defer { try? FileManager.default.removeItem(atPath: input) }
        try await run(["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", "\(width)x\(height)", "-i", input,
                       "-vf", ([PrivacyMaskFilter.filter(for: masks)].compactMap { $0 } + ["scale=\(outputWidth):-2:flags=bicubic"])
                           .joined(separator: ",")], to: path)
    }

    /// Writes the first frame of a short MP4 (``LiveHub/latestKeyframeClip()``) to `path` as a
    /// JPEG, with `masks` blacked out.
    public func jpeg(clip: [UInt8], masks: [ImagePolygon] = [], to path: String) async throws {
        let input = try Self.temporaryFile(clip, suffix: "mp4")
        defer { try? FileManager.default.removeItem(atPath: input) }
        try await run(["-i", input] + (PrivacyMaskFilter.filter(for: masks).map { ["-vf", $0] } ?? []), to: path)
    }

    /// Writes the frame `seconds` into a recorded file to `path` as a JPEG `outputWidth` wide,
    /// with `masks` blacked out (search thumbnails).
    public func jpeg(file: String, at seconds: Double, outputWidth: Int = 320, masks: [ImagePolygon] = [], to path: String) async throws {
        let filters = [PrivacyMaskFilter.filter(for: masks)].compactMap { $0 } + ["scale=\(outputWidth):-2"]
        try await run(["-ss", String(format: "%.3f", max(0, seconds)), "-i", file, "-vf", filters.joined(separator: ",")], to: path)
    }

    private func run(_ input: [String], to path: String) async throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let output = try await ChildProgram.run(tools.ffmpeg, ["-hide_banner", "-loglevel", "error", "-y"] + input
                                                + ["-frames:v", "1", "-q:v", "4", "-f", "image2", "-c:v", "mjpeg", path], timeout: 20)
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
