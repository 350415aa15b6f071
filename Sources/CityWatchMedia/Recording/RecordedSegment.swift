import Foundation

/// A closed recording segment on disk.
public struct RecordedSegment: Sendable, Equatable {
    public var cameraID: UUID
    /// Absolute path of the file.
    public var path: String
    public var start: Date
    public var end: Date
    public var bytes: Int64

    public init(cameraID: UUID, path: String, start: Date, end: Date, bytes: Int64) {
        self.cameraID = cameraID
        self.path = path
        self.start = start
        self.end = end
        self.bytes = bytes
    }

    /// Seconds of video.
    public var duration: TimeInterval { end.timeIntervalSince(start) }
}

/// What a camera pipeline reports.
public enum PipelineEvent: Sendable, Equatable {
    /// A segment was closed and can be indexed.
    case segmentClosed(RecordedSegment)
    /// The camera's health changed.
    case health(cameraID: UUID, from: CameraHealth, to: CameraHealth, at: Date, reason: String)
    /// Nothing was recorded between these times.
    case gap(cameraID: UUID, from: Date, to: Date)
    /// A file in the camera's folder could not be indexed (empty, unreadable).
    case unusableSegment(cameraID: UUID, path: String, reason: String)
}
