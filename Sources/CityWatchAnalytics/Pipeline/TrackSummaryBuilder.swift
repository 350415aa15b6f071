import CityWatchDomain
#if canImport(Glibc)
import Glibc
#endif

/// Gathers what smart search keeps of one track while it is followed: a box about once a
/// second, the colour under it, and where it went. Pure; one per live track.
public struct TrackSummaryBuilder: Sendable {
    /// A summary in frame terms, before the application adds the camera and wall-clock times.
    public struct Summary: Sendable, Hashable {
        public var trackID: Int
        public var objectClass: ObjectClass
        public var start: Double
        public var end: Double
        /// Sampled boxes as fractions of the frame, first and last included.
        public var path: [ImageBox]
        public var color: ColorName?
        /// Degrees, 0 = up the picture, clockwise; nil when it moved less than a tenth of the
        /// picture's height.
        public var direction: Double?
        /// Picture heights per second.
        public var speed: Double
    }

    public let trackID: Int
    let width: Int
    let height: Int
    var objectClass: ObjectClass
    var start: Double
    var end: Double
    var path: [ImageBox] = []
    var lastSampled: Double = -.infinity
    var lastBox: PixelBox
    var firstFoot: (x: Double, y: Double)
    var lastFoot: (x: Double, y: Double)
    var travelled = 0.0
    var colorVotes: [ColorName: Int] = [:]

    /// Starts with `object` seen at `time` in a `width × height` frame.
    public init(object: TrackedObject, time: Double, width: Int, height: Int) {
        trackID = object.id
        self.width = width
        self.height = height
        objectClass = object.objectClass
        start = time
        end = time
        lastBox = object.box
        firstFoot = (object.footX, object.footY)
        lastFoot = firstFoot
    }

    /// Adds the object as seen at `time`; `sampleColor` gives the mean (y, u, v) under a box
    /// when the frame has colour.
    public mutating func add(_ object: TrackedObject, time: Double, sampleColor: ((PixelBox) -> (y: Double, u: Double, v: Double)?)? = nil) {
        if object.objectClass != .unknown { objectClass = object.objectClass }
        guard object.missedFrames == 0 else { return }
        end = time
        let foot = (x: object.footX, y: object.footY)
        let step = ((foot.x - lastFoot.x) * (foot.x - lastFoot.x) + (foot.y - lastFoot.y) * (foot.y - lastFoot.y)).squareRoot()
        travelled += step
        lastFoot = foot
        lastBox = object.box
        if time - lastSampled >= 1 {
            lastSampled = time
            path.append(ImageBox(object.box, frameWidth: width, frameHeight: height))
            if let mean = sampleColor?(object.box) {
                colorVotes[ColorName.of(y: mean.y, u: mean.u, v: mean.v), default: 0] += 1
            }
        }
    }

    /// The summary, with the last box appended to the path.
    public func finish() -> Summary {
        var path = self.path
        let last = ImageBox(lastBox, frameWidth: width, frameHeight: height)
        if path.last != last { path.append(last) }
        let dx = lastFoot.x - firstFoot.x, dy = lastFoot.y - firstFoot.y
        let distance = (dx * dx + dy * dy).squareRoot()
        var direction: Double?
        if distance >= Double(height) / 10 {
            var degrees = atan2(dx, -dy) * 180 / .pi
            if degrees < 0 { degrees += 360 }
            direction = degrees
        }
        let duration = max(end - start, 0.001)
        let color = colorVotes.max { $0.value < $1.value || ($0.value == $1.value && $0.key.rawValue > $1.key.rawValue) }?.key
        return Summary(trackID: trackID, objectClass: objectClass, start: start, end: end, path: path, color: color,
                       direction: direction, speed: travelled / Double(height) / duration)
    }
}
