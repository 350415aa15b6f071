import CityWatchDomain

/// One object followed from frame to frame, as the tracker reports it after a frame.
public struct TrackedObject: Sendable, Hashable, Identifiable {
    /// Stable for the life of the track, never reused on a camera while the analyser runs.
    public var id: Int
    /// Its box in this frame (predicted while it is hidden: see `missedFrames`).
    public var box: PixelBox
    /// What it is; `unknown` until the detector names it.
    public var objectClass: ObjectClass
    /// Seconds (analysis clock) it was first seen.
    public var firstSeen: Double
    /// Seconds it was last matched to a blob.
    public var lastSeen: Double
    /// Frames in a row it had no blob (0 when seen in this frame); a short occlusion.
    public var missedFrames: Int
    /// Velocity of the box centre in pixels per second (x right, y down).
    public var velocityX: Double
    public var velocityY: Double
    /// Seconds since the box last moved more than a few pixels; 0 while it moves.
    public var stillSeconds: Double
    /// True once seen in enough frames to be reported (tentative tracks are noise until then).
    public var isConfirmed: Bool

    public init(id: Int, box: PixelBox, objectClass: ObjectClass = .unknown, firstSeen: Double, lastSeen: Double,
                missedFrames: Int = 0, velocityX: Double = 0, velocityY: Double = 0, stillSeconds: Double = 0,
                isConfirmed: Bool = true) {
        self.id = id
        self.box = box
        self.objectClass = objectClass
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.missedFrames = missedFrames
        self.velocityX = velocityX
        self.velocityY = velocityY
        self.stillSeconds = stillSeconds
        self.isConfirmed = isConfirmed
    }

    /// The point where it stands: the middle of the bottom edge of its box.
    public var footX: Double { Double(box.x) + Double(box.width) / 2 }
    public var footY: Double { Double(box.maxY) }
}
