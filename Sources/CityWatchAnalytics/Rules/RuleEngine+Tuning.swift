import CityWatchDomain

extension RuleEngine {
    /// Thresholds of the rule semantics that are not part of a rule; the defaults suit a
    /// 320×180 analysis frame at 5–10 fps.
    public struct Tuning: Sendable, Hashable {
        /// A foot point must be this many pixels off a line to count as on one side: jitter
        /// along the line never makes a crossing.
        public var lineMarginPixels: Double
        /// A stay in a zone survives the foot point being out this long (box jitter on the edge).
        public var zoneExitGraceSeconds: Double
        /// A fall is upright to lying within this many seconds; slower is lying down.
        public var fallWindowSeconds: Double
        /// Upright: box height at least this times its width.
        public var uprightAspect: Double
        /// Lying: box width more than this times its height.
        public var lyingAspect: Double
        /// Objects first seen within this many seconds of the first frame are part of the scene
        /// and never abandoned objects.
        public var sceneSettleSeconds: Double
        /// Within a rule's cool-down, an event of another track near where the rule last fired
        /// is a repeat of that event (the same object under a new track id). Off only to measure
        /// how many alarms the per-track cool-down alone lets through (`citywatch bench alarms`).
        public var mergesAcrossTracks = true

        public init(lineMarginPixels: Double = 3, zoneExitGraceSeconds: Double = 1, fallWindowSeconds: Double = 2,
                    uprightAspect: Double = 1.4, lyingAspect: Double = 1.0, sceneSettleSeconds: Double = 0) {
            self.lineMarginPixels = lineMarginPixels
            self.zoneExitGraceSeconds = zoneExitGraceSeconds
            self.fallWindowSeconds = fallWindowSeconds
            self.uprightAspect = uprightAspect
            self.lyingAspect = lyingAspect
            self.sceneSettleSeconds = sceneSettleSeconds
        }
    }
}
