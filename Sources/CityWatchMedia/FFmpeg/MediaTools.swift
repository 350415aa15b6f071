import Foundation

/// Where the media programs CityWatch drives are found.
public struct MediaTools: Sendable, Equatable {
    /// The `ffmpeg` executable.
    public var ffmpeg: String
    /// The `ffprobe` executable.
    public var ffprobe: String

    public init(ffmpeg: String = "/usr/bin/ffmpeg", ffprobe: String = "/usr/bin/ffprobe") {
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
    }

    /// True when both programs are installed.
    public var available: Bool {
        FileManager.default.isExecutableFile(atPath: ffmpeg) && FileManager.default.isExecutableFile(atPath: ffprobe)
    }
}
