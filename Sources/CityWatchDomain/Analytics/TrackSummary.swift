import Foundation

/// What smart search keeps of one tracked object: its class, when it was seen, where it went
/// (sampled boxes), its dominant colour, direction and speed.
public struct TrackSummary: Codable, Sendable, Hashable {
    public var cameraID: UUID
    /// The analyser's track id (unique per camera while the analyser runs).
    public var trackID: Int
    public var objectClass: ObjectClass
    public var start: Date
    public var end: Date
    /// Boxes sampled along the path (about one per second), first and last included.
    public var path: [ImageBox]
    /// A named colour (`red`, `white`, …) or nil when the frames had no colour.
    public var color: String?
    /// Direction of travel from the first to the last foot point, in degrees: 0 = up the
    /// picture, 90 = right, 180 = down, 270 = left; nil for an object that hardly moved.
    public var direction: Double?
    /// Mean speed in picture heights per second.
    public var speed: Double

    public init(cameraID: UUID, trackID: Int, objectClass: ObjectClass, start: Date, end: Date, path: [ImageBox],
                color: String?, direction: Double?, speed: Double) {
        self.cameraID = cameraID
        self.trackID = trackID
        self.objectClass = objectClass
        self.start = start
        self.end = end
        self.path = path
        self.color = color
        self.direction = direction
        self.speed = speed
    }
}
