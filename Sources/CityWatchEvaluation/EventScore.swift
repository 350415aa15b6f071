import CityWatchDomain

/// Precision, recall and F1 of detected events against expected ones, matched one to one.
///
/// A detected event matches an expected event of the same rule when their times differ by at
/// most `tolerance` seconds and, when both carry a box, the boxes overlap at IoU ≥
/// `minimumOverlap`. Matching is greedy by time difference, which is optimal enough for events
/// that are seconds apart; a detection can match one expectation only, so duplicates count as
/// false positives.
public struct EventScore: Sendable, Hashable, Codable {
    public var truePositives: Int
    public var falsePositives: Int
    public var falseNegatives: Int

    public init(truePositives: Int = 0, falsePositives: Int = 0, falseNegatives: Int = 0) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
    }

    /// Share of detections that were expected (1 when nothing was detected and nothing expected).
    public var precision: Double {
        let detected = truePositives + falsePositives
        return detected == 0 ? (falseNegatives == 0 ? 1 : 0) : Double(truePositives) / Double(detected)
    }

    /// Share of expected events that were detected (1 when nothing was expected).
    public var recall: Double {
        let expected = truePositives + falseNegatives
        return expected == 0 ? (falsePositives == 0 ? 1 : 0) : Double(truePositives) / Double(expected)
    }

    /// Harmonic mean of precision and recall.
    public var f1: Double {
        let sum = precision + recall
        return sum == 0 ? 0 : 2 * precision * recall / sum
    }

    /// Adds another clip's counts.
    public static func + (lhs: EventScore, rhs: EventScore) -> EventScore {
        EventScore(truePositives: lhs.truePositives + rhs.truePositives, falsePositives: lhs.falsePositives + rhs.falsePositives,
                   falseNegatives: lhs.falseNegatives + rhs.falseNegatives)
    }

    /// One event for matching: when, optionally where, and (for expected events of synthetic
    /// clips) which ground-truth object it concerns.
    public struct Occurrence: Sendable, Hashable, Codable {
        public var time: Double
        public var box: PixelBox?
        /// The ground-truth object, so a detection a frame or two off can be compared with
        /// where that object was at the detection's own time (see `boxAt` of
        /// ``EventScore/match(detected:expected:tolerance:minimumOverlap:boxAt:)``).
        public var trackId: Int?

        public init(time: Double, box: PixelBox? = nil, trackId: Int? = nil) {
            self.time = time
            self.box = box
            self.trackId = trackId
        }
    }

    /// Scores `detected` against `expected` (both of one rule on one clip). `boxAt`, when
    /// given, supplies the expected event's box at a detection's time (nil: use its own box).
    public static func match(detected: [Occurrence], expected: [Occurrence], tolerance: Double = 2, minimumOverlap: Double = 0.5,
                             boxAt: ((_ expected: Occurrence, _ time: Double) -> PixelBox?)? = nil) -> EventScore {
        var pairs: [(gap: Double, detected: Int, expected: Int)] = []
        for (d, found) in detected.enumerated() {
            for (e, wanted) in expected.enumerated() {
                let gap = abs(found.time - wanted.time)
                guard gap <= tolerance else { continue }
                let wantedBox = boxAt?(wanted, found.time) ?? wanted.box
                if let a = found.box, let b = wantedBox, a.intersectionOverUnion(b) < minimumOverlap { continue }
                pairs.append((gap, d, e))
            }
        }
        pairs.sort { $0.gap < $1.gap }
        var usedDetected = Set<Int>(), usedExpected = Set<Int>()
        for pair in pairs where !usedDetected.contains(pair.detected) && !usedExpected.contains(pair.expected) {
            usedDetected.insert(pair.detected)
            usedExpected.insert(pair.expected)
        }
        return EventScore(truePositives: usedDetected.count, falsePositives: detected.count - usedDetected.count,
                          falseNegatives: expected.count - usedExpected.count)
    }

}
