import CityWatchDomain

/// Everything one frame gave a ``CameraAnalyzer``.
public struct FrameAnalysis: Sendable {
    /// What the motion detector made of the frame.
    public var motion: MotionStatus
    /// The tracks after this frame (confirmed and tentative).
    public var tracks: [TrackedObject]
    /// Rules that fired on this frame.
    public var events: [RuleEvent]
    /// Repeats merged into earlier events by the rules' cool-down.
    public var merges: [RuleMerge]
    /// A change of the camera's tamper state completed by this frame.
    public var tamper: TamperChange?
    /// The motion grid of a second that ended with this frame.
    public var grid: MotionGrid?
    /// Tracks that ended (left or were lost for good) with this frame.
    public var finishedTracks: [TrackSummaryBuilder.Summary]

    public init(motion: MotionStatus, tracks: [TrackedObject] = [], events: [RuleEvent] = [], merges: [RuleMerge] = [],
                tamper: TamperChange? = nil, grid: MotionGrid? = nil, finishedTracks: [TrackSummaryBuilder.Summary] = []) {
        self.motion = motion
        self.tracks = tracks
        self.events = events
        self.merges = merges
        self.tamper = tamper
        self.grid = grid
        self.finishedTracks = finishedTracks
    }
}
