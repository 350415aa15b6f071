import CityWatchDomain

/// What a ``MotionAnalyzer`` made of one frame.
public struct MotionAnalysis: Sendable {
    /// What the detector made of the frame.
    public var status: MotionStatus
    /// The frame's blobs (empty unless `status` is `analysed`).
    public var blobs: [Blob]
    /// Every track after the frame, tentative ones included; unchanged on frames that were
    /// not analysed (black, frozen, learning).
    public var tracks: [TrackedObject]
    /// The motion grid of the second that ended with this frame, if it saw motion.
    public var finishedGrid: MotionGrid?
    /// True when the frame had a new size and the analyser started over for it (tracks were
    /// dropped; ids go on from the last one given).
    public var resized: Bool

    public init(status: MotionStatus, blobs: [Blob], tracks: [TrackedObject], finishedGrid: MotionGrid?, resized: Bool) {
        self.status = status
        self.blobs = blobs
        self.tracks = tracks
        self.finishedGrid = finishedGrid
        self.resized = resized
    }

    /// The confirmed tracks only: what rules and operators should see.
    public var confirmedTracks: [TrackedObject] { tracks.filter(\.isConfirmed) }
}
