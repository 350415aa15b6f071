import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia
import Foundation

/// Plays one camera's clip in a loop through the analytics, as the demo plays it, and counts
/// the alarms the operators would get: the way CityWatch folds repeats (merging across track
/// ids within the cool-down, storms) against the per-track cool-down alone, in the same run.
/// Faster than real time: frames are decoded once and analysed without waiting.
public struct AlarmRateStudy: Sendable {
    /// What one way of folding gave.
    public struct Outcome: Sendable, Equatable {
        /// Rule events raised (repeats merged into an event not counted).
        public var events: Int
        /// Alarms queued, storm alarms among them.
        public var alarms: Int
        public var stormAlarms: Int
        /// Scripted events (of every rule) and how many an alarm covers.
        public var expected: Int
        public var covered: Int
        /// Scripted intrusions and how many an alarm covers.
        public var expectedIntrusions: Int
        public var coveredIntrusions: Int
    }

    /// The clip's analysis frames (yuv420p), one loop.
    public let frames: [[UInt8]]
    public let width: Int
    public let height: Int
    public let fps: Int
    /// The camera's rules.
    public let rules: [AnalyticsRule]
    /// Per rule (in rule order), the scripted events' times within one loop.
    public let expected: [[Double]]

    public init(frames: [[UInt8]], width: Int, height: Int, fps: Int, rules: [AnalyticsRule], expected: [[Double]]) {
        self.frames = frames
        self.width = width
        self.height = height
        self.fps = fps
        self.rules = rules
        self.expected = expected
    }

    /// The expected times of `rules` in `scene` (its ground truth).
    public static func expectedTimes(of rules: [AnalyticsRule], in scene: SyntheticScene) -> [[Double]] {
        let truth = SyntheticGroundTruth(scene: scene)
        return rules.map { ExpectedEvents.of($0, in: truth).map(\.time) }
    }

    /// Seconds of video one loop lasts.
    public var loopSeconds: Double { Double(frames.count) / Double(fps) }

    /// Plays `loops` loops; `baseline` is the per-track cool-down alone, every event an alarm;
    /// `folded` is CityWatch's way with `storms`.
    public func run(loops: Int, storms: AlarmStormPolicy = AlarmStormPolicy(), tolerance: Double = 2,
                    progress: (Int) -> Void = { _ in }) -> (baseline: Outcome, folded: Outcome) {
        let settings = CameraAnalyticsSettings(rules: rules)
        var plain = RuleEngine.Tuning()
        plain.mergesAcrossTracks = false
        var baselineAnalyzer = CameraAnalyzer(width: width, height: height, settings: settings, ruleTuning: plain)
        var foldedAnalyzer = CameraAnalyzer(width: width, height: height, settings: settings)
        var baseline = AlarmRateTally(storms: nil), folded = AlarmRateTally(storms: storms)
        // A weekday noon (the demo's rules have no schedule); times start at an arbitrary epoch.
        let start = 1_800_000_000.0
        for loop in 0..<loops {
            for (index, frame) in frames.enumerated() {
                let time = start + Double(loop) * loopSeconds + Double(index) / Double(fps)
                let first = baselineAnalyzer.process(yuv: frame, time: time, weekday: 3, minute: 720)
                baseline.add(events: first.events, merges: first.merges)
                let second = foldedAnalyzer.process(yuv: frame, time: time, weekday: 3, minute: 720)
                folded.add(events: second.events, merges: second.merges)
            }
            progress(loop + 1)
        }
        return (outcome(baseline, loops: loops, start: start, tolerance: tolerance),
                outcome(folded, loops: loops, start: start, tolerance: tolerance))
    }

    private func outcome(_ tally: AlarmRateTally, loops: Int, start: Double, tolerance: Double) -> Outcome {
        var result = Outcome(events: tally.events, alarms: tally.alarms.count, stormAlarms: tally.alarms.filter(\.storm).count,
                             expected: 0, covered: 0, expectedIntrusions: 0, coveredIntrusions: 0)
        for (rule, times) in zip(rules, expected) {
            let all = (0..<loops).flatMap { loop in times.map { start + Double(loop) * loopSeconds + $0 } }
            let covered = tally.covered(all, rule: rule.id, tolerance: tolerance)
            result.expected += all.count
            result.covered += covered
            if case .intrusion = rule.kind {
                result.expectedIntrusions += all.count
                result.coveredIntrusions += covered
            }
        }
        return result
    }
}
