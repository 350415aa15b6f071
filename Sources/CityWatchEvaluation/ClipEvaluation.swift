/// What one clip gave: per rule, the events expected and detected and how they matched, and
/// how long the analyzer took over the clip's frames.
public struct ClipEvaluation: Sendable, Codable, Hashable {
    /// The clip's name (a synthetic scene's, or the real clip's file name).
    public var clip: String
    /// Frames analysed.
    public var frames: Int
    /// Seconds spent inside the analyzer (rendering and decoding left out).
    public var analysisSeconds: Double
    /// One entry per rule drawn on the clip.
    public var rules: [RuleOutcome]

    public init(clip: String, frames: Int, analysisSeconds: Double, rules: [RuleOutcome]) {
        self.clip = clip
        self.frames = frames
        self.analysisSeconds = analysisSeconds
        self.rules = rules
    }

    /// One rule on one clip.
    public struct RuleOutcome: Sendable, Codable, Hashable {
        /// The rule's name.
        public var rule: String
        /// Its kind (``CityWatchDomain/AnalyticsRule/Kind/name``): the row of the report it counts in.
        public var kind: String
        /// What should have been raised, in time order.
        public var expected: [EventScore.Occurrence]
        /// What the analyzer raised, in time order.
        public var detected: [EventScore.Occurrence]
        /// How they matched.
        public var score: EventScore
        /// For each matched event of a real clip, the detection's time minus the labelled time
        /// (negative when the rule fired early); nil for synthetic clips and clip-level rules.
        public var timesToDetect: [Double]?
        /// Set when the rule was scored on the whole clip (``ClipLevelTruth``) rather than on times.
        public var clipLevel: ClipLevelTruth?

        public init(rule: String, kind: String, expected: [EventScore.Occurrence], detected: [EventScore.Occurrence], score: EventScore,
                    timesToDetect: [Double]? = nil, clipLevel: ClipLevelTruth? = nil) {
            self.rule = rule
            self.kind = kind
            self.expected = expected
            self.detected = detected
            self.score = score
            self.timesToDetect = timesToDetect
            self.clipLevel = clipLevel
        }

        /// True for a clip-level rule that should raise nothing and raised nothing.
        public var isTrueNegative: Bool {
            clipLevel == .raisesNothing && detected.isEmpty
        }
    }
}
