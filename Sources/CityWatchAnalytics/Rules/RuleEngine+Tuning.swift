import CityWatchDomain

extension RuleEngine {
    /// Thresholds of the rule semantics that are not part of a rule; the defaults suit a
    /// 320×180 analysis frame at 5–10 fps.
    public struct Tuning: Sendable, Hashable {
        /// A foot point must be this many pixels off a line to count as on one side: jitter
        /// along the line never makes a crossing.
        public var lineMarginPixels: Double
        /// A stay in a zone survives the foot point being out this long (box jitter on the edge),
        /// and a crowd the count being under its number this long (a person unseen a moment).
        public var zoneExitGraceSeconds: Double
        /// A fall is upright to lying within this many seconds; slower is lying down.
        public var fallWindowSeconds: Double
        /// Upright: box height at least this times its width.
        public var uprightAspect: Double
        /// Lying: box width more than this times its height.
        public var lyingAspect: Double
        /// Down: a box no taller than this share of the object's upright height (with its
        /// aspect no longer upright) counts as down like a lying one.
        public var downHeightShare = 0.5
        /// Line crossing: seconds a track gone at the picture's edge is carried on by its velocity
        /// to find whether it crossed the line on its way out.
        public var exitSeconds = 0.5
        /// Fight: the share of the pixels of two persons' joint box that must change from one
        /// frame to the next for their motion to count as violent.
        public var fightActivity = 0.2
        /// Fight: the share of a lone person's widened box that must change for it to count as
        /// two people locked together (the detector often sees them as one).
        public var fightSingleActivity = 0.3
        /// Fight: persons fighting stay in place; a pair whose joint box moves faster than this
        /// many of its heights per second is walking, however much its pixels change.
        public var fightMaximumSpeed = 0.6
        /// Fight: two persons are close together when the gap between their boxes is at most
        /// this share of the taller one's height.
        public var fightGap = 0.5
        /// Abandoned object: a left object is unattended when its owner's foot point is farther
        /// than this many of the owner's heights from its own (about 2.5 m for a grown-up), or
        /// the owner is gone; with no owner seen, when no person is that near.
        public var unattendedReach = 1.5
        /// Intrusion and loitering: a track born this soon after another was lost near it
        /// carries the lost track's stay on (see the stays of ``RuleEngine``).
        public var stayHandOverSeconds = 1.0
        /// Objects first seen within this many seconds of the first frame are part of the scene
        /// and never abandoned objects.
        public var sceneSettleSeconds: Double
        /// Within a rule's cool-down, an event of another track near where the rule last fired
        /// is a repeat of that event (the same object under a new track id). Off only to measure
        /// how many alarms the per-track cool-down alone lets through (`citywatch-bench alarms`).
        public var mergesAcrossTracks = true
        /// The detector-led profile: a rule without a class filter counts only objects the
        /// detector named — persons for fall, loitering and crowding, anything named for intrusion
        /// and line crossing — with two exceptions: intrusion and line crossing also count an
        /// unnamed object at least ``motionFallbackHeight`` of the picture tall (night,
        /// infrared, a car seen from straight above: the detector may see nothing), and
        /// abandoned object counts anything but a person (the detector names no bags). Off in
        /// the motion-only profile, where every object counts.
        public var requiresClass = false
        /// Height, as a share of the picture, an unnamed object needs to count for intrusion in
        /// the detector-led profile.
        public var motionFallbackHeight = 0.1

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
