import Foundation

/// A closed recording segment on disk: what the recorder reports and the segment index stores.
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
