/// How an ``ObjectTracker`` follows blobs: one value, with defaults for 320×180 at 5–15 fps.
public struct TrackerConfiguration: Sendable, Hashable, Codable {
    /// Frames with a blob before a track is confirmed and worth reporting.
    public var confirmHits: Int
    /// Seconds a confirmed track is kept on prediction alone (crossing people, a pole) before
    /// it is dropped.
    public var maximumMissedSeconds: Double
    /// Frames without a blob after which a tentative (unconfirmed) track is dropped.
    public var tentativeMissedFrames: Int
    /// A blob may match a track when their boxes overlap at least this much (IoU)…
    public var minimumOverlap: Double
    /// …or when its centre is within this many times the track's larger side of the predicted
    /// centre (fast objects at low frame rates do not overlap from frame to frame).
    public var gateFactor: Double
    /// Weight of the newest measurement in the velocity (0 = never changes, 1 = no smoothing).
    public var velocitySmoothing: Double
    /// A box whose centre stays within this many pixels of where it stopped, along each axis, is still.
    public var stillRadius: Double
    /// Tracks kept at most; blobs beyond start none.
    public var maximumTracks: Int
    /// A blob covering this share of two or more tracks' predicted boxes is their merge: each
    /// track then goes on by prediction inside it instead of one taking the blob.
    public var mergeCoverage: Double
    /// Seconds before a track the detector looked at (and named, or found nothing on) is
    /// offered to it again, unless named with at least ``confidentClass``.
    public var reclassifySeconds: Double
    /// Confidence at which a track's class is settled and never asked for again.
    public var confidentClass: Double

    /// Seconds a detector's finding holds a track: it is kept that long without a blob (a person
    /// standing still is no motion) and a blob less than half its size only marks it seen.
    public var detectionHoldSeconds: Double
    /// Detections less sure than this are ignored.
    public var minimumDetectionConfidence: Double

    public init(confirmHits: Int = 3, maximumMissedSeconds: Double = 1.5, tentativeMissedFrames: Int = 1,
                minimumOverlap: Double = 0.1, gateFactor: Double = 1, velocitySmoothing: Double = 0.5,
                stillRadius: Double = 2, maximumTracks: Int = 64, mergeCoverage: Double = 0.5,
                reclassifySeconds: Double = 5, confidentClass: Double = 0.8, detectionHoldSeconds: Double = 2.5,
                minimumDetectionConfidence: Double = 0.35) {
        self.confirmHits = confirmHits
        self.maximumMissedSeconds = maximumMissedSeconds
        self.tentativeMissedFrames = tentativeMissedFrames
        self.minimumOverlap = minimumOverlap
        self.gateFactor = gateFactor
        self.velocitySmoothing = velocitySmoothing
        self.stillRadius = stillRadius
        self.maximumTracks = maximumTracks
        self.mergeCoverage = mergeCoverage
        self.reclassifySeconds = reclassifySeconds
        self.confidentClass = confidentClass
        self.detectionHoldSeconds = detectionHoldSeconds
        self.minimumDetectionConfidence = minimumDetectionConfidence
    }
}
