/// An ffmpeg child failed while a synthetic clip was being made: it could not start, exited
/// with an error, or stopped taking or giving frames early. Carries ffmpeg's own last words.
public struct SyntheticClipFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which ffmpeg failed.
    public enum Stage: String, Sendable, Equatable {
        /// The one decoding a `.video` background into raw frames.
        case backgroundDecoder = "background decoder"
        /// The one encoding the rendered frames into the MP4.
        case encoder
    }

    /// Which ffmpeg failed.
    public var stage: Stage
    /// Its exit status (128 + signal when killed), or -1 when it never started.
    public var status: Int32
    /// What CityWatch saw, e.g. "exited with status 1" or "gave 12 of 200 frames".
    public var reason: String
    /// The last lines ffmpeg wrote to standard error (at most 20).
    public var standardError: [String]
    /// Its command line, program first.
    public var commandLine: [String]

    public init(stage: Stage, status: Int32, reason: String, standardError: [String], commandLine: [String]) {
        self.stage = stage
        self.status = status
        self.reason = reason
        self.standardError = standardError
        self.commandLine = commandLine
    }

    public var description: String {
        let tail = standardError.isEmpty ? "" : ":\n" + standardError.map { "  " + $0 }.joined(separator: "\n")
        return "ffmpeg (\(stage.rawValue)) \(reason)\(tail)"
    }
}
