import CityWatchDomain

/// The tracker's working state for one object: a box as centre and size in sub-pixels, so
/// prediction does not round away slow motion, plus what the report needs.
struct Track: Sendable {
    var id: Int
    var centerX: Double
    var centerY: Double
    var width: Double
    var height: Double
    var velocityX = 0.0
    var velocityY = 0.0
    /// The last measured box and when, for the velocity.
    var measured: PixelBox
    /// When a blob or a detection last gave the box (a piece of a detected object marks the
    /// track seen without giving it).
    var measuredAt = -Double.infinity
    var hits = 1
    var missedFrames = 0
    var firstSeen: Double
    var lastSeen: Double
    var isConfirmed = false
    /// Where it stopped moving and since when.
    var stillX: Double
    var stillY: Double
    var stillSince: Double
    var objectClass = ObjectClass.unknown
    var classConfidence = 0.0
    /// When the detector last looked at it, if ever.
    var classifiedAt: Double?
    /// When a detector last found it (its box is then the detector's), if ever.
    var lastDetected: Double?

    init(id: Int, blob: Blob, time: Double) {
        self.init(id: id, box: blob.box, time: time)
    }

    init(id: Int, box: PixelBox, time: Double) {
        self.id = id
        centerX = Double(box.x) + Double(box.width) / 2
        centerY = Double(box.y) + Double(box.height) / 2
        width = Double(box.width)
        height = Double(box.height)
        measured = box
        firstSeen = time
        lastSeen = time
        stillX = centerX
        stillY = centerY
        stillSince = time
    }

    /// The box in whole pixels.
    var box: PixelBox {
        PixelBox(x: Int((centerX - width / 2).rounded()), y: Int((centerY - height / 2).rounded()),
                 width: max(1, Int(width.rounded())), height: max(1, Int(height.rounded())))
    }

    /// Moves the box to `box` (a measurement or a merge-constrained prediction).
    mutating func place(_ box: PixelBox) {
        centerX = Double(box.x) + Double(box.width) / 2
        centerY = Double(box.y) + Double(box.height) / 2
        width = Double(box.width)
        height = Double(box.height)
    }

    /// Restarts the still clock when the centre has left its still point by more than `radius`
    /// along either axis. Per axis rather than by distance: a shaking camera moves a still box by
    /// up to twice its shake on both axes at once (one pixel of shake: a 2-pixel diagonal, 2.8
    /// pixels apart), while a walker at 5–10 fps moves 3 pixels or more along its way.
    mutating func updateStillness(time: Double, radius: Double) {
        if abs(centerX - stillX) > radius || abs(centerY - stillY) > radius {
            stillX = centerX
            stillY = centerY
            stillSince = time
        }
    }

    /// True when a detector found it within `seconds` of `time`: its box is then a whole
    /// object's, and blobs much smaller than it are pieces of it (a hand, the legs under a table).
    func isDetected(within seconds: Double, of time: Double) -> Bool {
        lastDetected.map { time - $0 <= seconds } ?? false
    }

    /// What the tracker reports.
    func report(time: Double) -> TrackedObject {
        TrackedObject(id: id, box: box, objectClass: objectClass, firstSeen: firstSeen, lastSeen: lastSeen,
                      missedFrames: missedFrames, velocityX: velocityX, velocityY: velocityY,
                      stillSeconds: max(0, time - stillSince), isConfirmed: isConfirmed)
    }
}
