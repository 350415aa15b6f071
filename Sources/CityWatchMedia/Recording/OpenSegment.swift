import Foundation

/// The segment a camera's recorder is writing now.
///
/// Segments are indexed only once ffmpeg closes them (up to a segment length, a minute by
/// default, after their first frame), yet a fragmented MP4 plays up to its last complete
/// fragment while it is written. Search thumbnails of the last minute and the playback
/// timeline's "recorded so far" read it from here.
public struct OpenSegment: Sendable, Equatable {
    /// The file being written.
    public var path: String
    /// Its start, from its name (``RecordingCommand/segmentPattern``), to the second.
    public var start: Date

    public init(path: String, start: Date) {
        self.path = path
        self.start = start
    }

    /// The newest segment file among `fileNames` of `folder` that no segment-list line has
    /// reported (`reported`): the one being written while the recorder runs. Names sort by
    /// time, so the newest is the greatest.
    public static func newest(fileNames: [String], reported: Set<String>, folder: String) -> OpenSegment? {
        let candidates = fileNames.filter { $0.hasSuffix(".mp4") && !reported.contains($0) }
        guard let name = candidates.max(), let start = SegmentListLine.startTime(ofFile: name) else { return nil }
        return OpenSegment(path: (folder as NSString).appendingPathComponent(name), start: start)
    }
}
