import CityWatchDomain

/// Precision, recall and F1 of detected events against expected ones, matched one to one.
///
/// A detected event matches an expected event of the same rule when their times differ by at
/// most `tolerance` seconds (or lie in a ``Window``) and, when both carry a box, the boxes overlap at IoU ≥
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
        /// For a detection: the time of the frame its box was seen on, when that is not
        /// ``time`` (a line crossing is timed between two frames).
        public var boxTime: Double?
        /// For a detection on a real clip: where its object was seen over the clip, so its box
        /// can be compared with a labelled box at the labelled moment (not kept in JSON).
        public var path: [TimedBox] = []

        enum CodingKeys: String, CodingKey {
            case time, box, trackId, boxTime
        }

        public init(time: Double, box: PixelBox? = nil, trackId: Int? = nil, boxTime: Double? = nil, path: [TimedBox] = []) {
            self.time = time
            self.box = box
            self.trackId = trackId
            self.boxTime = boxTime
            self.path = path
        }

        /// The box a real label at `time` is compared with: where the object was then
        /// (``box(at:)``), else the detection's own box.
        public func box(comparedAt time: Double) -> PixelBox? {
            box(at: time) ?? box
        }

        /// Where the object was at `time`: the box of ``path`` seen nearest to it, within a
        /// frame or two (0.3 s); nil when it was not seen then.
        public func box(at time: Double) -> PixelBox? {
            var best: TimedBox?
            for sample in path where abs(sample.time - time) <= 0.3 && abs(sample.time - time) < abs((best?.time ?? .infinity) - time) {
                best = sample
            }
            return best?.box
        }
    }

    /// A box and when it was seen.
    public struct TimedBox: Sendable, Hashable {
        public var time: Double
        public var box: PixelBox

        public init(time: Double, box: PixelBox) {
            self.time = time
            self.box = box
        }
    }

    /// Scores `detected` against `expected` (both of one rule on one clip). `boxAt`, when
    /// given, supplies the expected event's box at a detection's time (nil: use its own box).
    public static func match(detected: [Occurrence], expected: [Occurrence], tolerance: Double = 2, minimumOverlap: Double = 0.5,
                             boxAt: ((_ expected: Occurrence, _ time: Double) -> PixelBox?)? = nil) -> EventScore {
        let matched = pairs(detected: detected, expected: expected, window: .symmetric(tolerance), minimumOverlap: minimumOverlap, boxAt: boxAt)
        return EventScore(matched: matched.count, detected: detected.count, expected: expected.count)
    }

    /// The counts of `matched` pairs out of `detected` detections and `expected` events.
    public init(matched: Int, detected: Int, expected: Int) {
        self.init(truePositives: matched, falsePositives: detected - matched, falseNegatives: expected - matched)
    }

    /// How far a detection's time may lie from an expected event's: from `before` seconds
    /// earlier to `after` seconds later.
    public struct Window: Sendable, Hashable, Codable {
        /// Seconds a detection may come before the expected time.
        public var before: Double
        /// Seconds a detection may come after the expected time.
        public var after: Double

        public init(before: Double, after: Double) {
            self.before = before
            self.after = after
        }

        /// `tolerance` seconds either side.
        public static func symmetric(_ tolerance: Double) -> Window {
            Window(before: tolerance, after: tolerance)
        }

        /// True when a detection `delay` seconds after the expected time (negative: before) is inside.
        public func admits(_ delay: Double) -> Bool {
            delay >= -before && delay <= after
        }
    }

    /// One detection matched to one expected event, by their indices in the lists matched.
    public struct Pair: Sendable, Hashable {
        /// Index of the detection in the detected list.
        public var detected: Int
        /// Index of the event in the expected list.
        public var expected: Int
    }

    /// Matches `detected` to `expected` one to one, greedily by time difference, inside `window`.
    /// Where the expected event has a box (from `boxAt` at the detection's time, else its own),
    /// a detection with a box needs IoU ≥ `minimumOverlap` with it — without `boxAt`, the
    /// detection's box at the expected time when its ``Occurrence/path`` shows it then (a
    /// labelled box is where the object was at the labelled moment, and a walker's box a second
    /// earlier or later hardly overlaps it), else its own; with `boxesRequired`, a
    /// detection without a box cannot match a boxed event at all (real labels), while without it
    /// such a detection matches on time (synthetic crowding, whose events carry no box).
    public static func pairs(detected: [Occurrence], expected: [Occurrence], window: Window, minimumOverlap: Double,
                             boxesRequired: Bool = false,
                             boxAt: ((_ expected: Occurrence, _ time: Double) -> PixelBox?)? = nil) -> [Pair] {
        var candidates: [(gap: Double, pair: Pair)] = []
        for (d, found) in detected.enumerated() {
            for (e, wanted) in expected.enumerated() {
                guard window.admits(found.time - wanted.time) else { continue }
                if let wantedBox = boxAt?(wanted, found.boxTime ?? found.time) ?? wanted.box {
                    if let box = boxAt == nil ? found.box(comparedAt: wanted.time) : found.box {
                        if box.intersectionOverUnion(wantedBox) < minimumOverlap { continue }
                    } else if boxesRequired {
                        continue
                    }
                }
                candidates.append((abs(found.time - wanted.time), Pair(detected: d, expected: e)))
            }
        }
        candidates.sort { $0.gap < $1.gap }
        var usedDetected = Set<Int>(), usedExpected = Set<Int>(), chosen: [Pair] = []
        for candidate in candidates where !usedDetected.contains(candidate.pair.detected) && !usedExpected.contains(candidate.pair.expected) {
            usedDetected.insert(candidate.pair.detected)
            usedExpected.insert(candidate.pair.expected)
            chosen.append(candidate.pair)
        }
        return chosen
    }
}
