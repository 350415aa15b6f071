import CityWatchDomain
import Foundation

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
    /// Closed segments that ffmpeg's segment list never named were found in the camera's folder
    /// (and reported with ``segmentClosed(_:)`` as well): the list failed, the folder did not.
    case segmentsFoundInFolder(cameraID: UUID, paths: [String])
}

extension PipelineEvent {
    /// The camera the event is about.
    public var cameraID: UUID {
        switch self {
        case .segmentClosed(let segment): segment.cameraID
        case .health(let camera, _, _, _, _), .gap(let camera, _, _), .unusableSegment(let camera, _, _),
             .segmentsFoundInFolder(let camera, _): camera
        }
    }
}
