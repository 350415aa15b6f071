import Foundation

/// Asks ffprobe about a recorded file.
public struct MediaProbe: Sendable {
    public let tools: MediaTools

    public init(tools: MediaTools = MediaTools()) {
        self.tools = tools
    }

    /// What ffprobe says of a file.
    public struct Facts: Sendable, Equatable {
        /// Seconds of media (0 when the file holds no complete fragment).
        public var duration: Double
        /// `video`, `audio`, … one per stream.
        public var streams: [String]
    }

    /// Probes `path`; nil when ffprobe cannot read it at all.
    public func facts(of path: String) async -> Facts? {
        guard let output = try? await ChildProgram.run(tools.ffprobe, [
            "-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "default=noprint_wrappers=1", path,
        ], timeout: 30), output.status == 0 else { return nil }
        var duration = 0.0
        var streams: [String] = []
        for line in output.standardOutput.split(separator: "\n") {
            if line.hasPrefix("duration=") { duration = Double(line.dropFirst("duration=".count)) ?? 0 }
            if line.hasPrefix("codec_type=") { streams.append(String(line.dropFirst("codec_type=".count))) }
        }
        return Facts(duration: duration, streams: streams)
    }
}
