import CityWatchDomain

/// The scores of a run of `citywatch eval`: per rule kind over all clips, overall, and the
/// analyzer's speed. Encodes to the JSON `--json` prints.
public struct EvaluationReport: Sendable, Codable, Hashable {
    /// Seconds of time difference a detection may have from the expected event.
    public var tolerance: Double
    /// Box overlap (IoU) a detection needs with the expected event's box, when it has one.
    public var minimumOverlap: Double
    /// Every clip, in the order run.
    public var clips: [ClipEvaluation]
    /// One row per rule kind, in the order the kinds first appear.
    public var kinds: [KindScore]
    /// All kinds added up.
    public var overall: EventScore
    /// Frames the analyzer took per second of its own time (rendering and decoding left out).
    public var framesPerSecond: Double

    /// The counts of one rule kind over the clips that have it.
    public struct KindScore: Sendable, Codable, Hashable {
        public var kind: String
        /// Clips with at least one rule of this kind.
        public var clips: Int
        public var score: EventScore
        /// Clip-level rules that should raise nothing and raised nothing (``ClipLevelTruth``).
        public var trueNegatives: Int
        /// Detection time minus labelled time of every matched event of a real clip, in order;
        /// empty for synthetic clips and clip-level rules.
        public var timesToDetect: [Double]

        public init(kind: String, clips: Int, score: EventScore, trueNegatives: Int = 0, timesToDetect: [Double] = []) {
            self.kind = kind
            self.clips = clips
            self.score = score
            self.trueNegatives = trueNegatives
            self.timesToDetect = timesToDetect
        }

        /// Events that should have been raised (true positives and misses; a clip-level clip that
        /// should raise the rule counts one).
        public var expectedEvents: Int { score.truePositives + score.falseNegatives }

        /// The middle of ``timesToDetect`` (the mean of the two middle ones for an even count).
        public var medianTimeToDetect: Double? {
            guard !timesToDetect.isEmpty else { return nil }
            let middle = timesToDetect.count / 2
            return timesToDetect.count % 2 == 1 ? timesToDetect[middle] : (timesToDetect[middle - 1] + timesToDetect[middle]) / 2
        }

        /// The latest detection relative to its labelled time.
        public var worstTimeToDetect: Double? { timesToDetect.last }
    }

    /// Adds up `clips` scored with `tolerance` and `minimumOverlap`.
    public init(clips: [ClipEvaluation], tolerance: Double, minimumOverlap: Double) {
        self.tolerance = tolerance
        self.minimumOverlap = minimumOverlap
        self.clips = clips
        var kinds: [KindScore] = []
        for clip in clips {
            var counted: Set<String> = []
            for outcome in clip.rules {
                let firstOfKind = counted.insert(outcome.kind).inserted ? 1 : 0
                let row = kinds.firstIndex { $0.kind == outcome.kind } ?? {
                    kinds.append(KindScore(kind: outcome.kind, clips: 0, score: EventScore()))
                    return kinds.count - 1
                }()
                kinds[row].clips += firstOfKind
                kinds[row].score = kinds[row].score + outcome.score
                kinds[row].trueNegatives += outcome.isTrueNegative ? 1 : 0
                kinds[row].timesToDetect += outcome.timesToDetect ?? []
            }
        }
        for row in kinds.indices { kinds[row].timesToDetect.sort() }
        self.kinds = kinds
        self.overall = kinds.reduce(EventScore()) { $0 + $1.score }
        let frames = clips.reduce(0) { $0 + $1.frames }
        let seconds = clips.reduce(0) { $0 + $1.analysisSeconds }
        self.framesPerSecond = seconds > 0 ? Double(frames) / seconds : 0
    }

    /// The score of rule kind `kind`, if any clip had one.
    public func score(of kind: String) -> EventScore? {
        kinds.first { $0.kind == kind }?.score
    }

    /// The report as a plain-text table: one row per kind, then the total and the speed.
    public var table: String {
        var rows = kinds.map { Self.row($0.kind, clips: $0.clips, $0.score) }
        rows.append(Self.row("all", clips: clips.count, overall))
        var text = Self.layout(header: ["rule", "clips", "TP", "FP", "FN", "precision", "recall", "F1"], rows: rows)
        let frames = clips.reduce(0) { $0 + $1.frames }
        text += "\n\(frames) frames, analyzer \(Self.fixed(framesPerSecond, 0)) frames/s; tolerance \(Self.fixed(tolerance, 1)) s, boxes at IoU ≥ \(Self.fixed(minimumOverlap, 2))"
        return text
    }

    /// One row per rule of every clip (clip · rule name), for clips with several rules of a kind.
    public var ruleTable: String {
        let rows = clips.flatMap { clip in clip.rules.map { Self.row("\(clip.clip) · \($0.rule)", clips: 1, $0.score) } }
        return Self.layout(header: ["clip · rule", "clips", "TP", "FP", "FN", "precision", "recall", "F1"], rows: rows)
    }

    /// One line per rule of every clip: the times (seconds) expected and detected, with the
    /// clip-level verdict for rules scored on the whole clip. Under it, for each expected event
    /// with a box, the detections within the tolerance and their IoU with that box at the
    /// labelled moment (where the detected object was then): a detection at the right time on
    /// the wrong person reads as such.
    public var eventList: String {
        func times(_ events: [EventScore.Occurrence]) -> String { events.map { Self.fixed($0.time, 1) }.joined(separator: " ") }
        return clips.flatMap { clip in
            clip.rules.flatMap { rule in
                let wanted = rule.clipLevel.map { "clip \($0.rawValue)" } ?? "[\(times(rule.expected))]"
                return ["\(clip.clip) · \(rule.rule): expected \(wanted) detected [\(times(rule.detected))]"] + boxLines(rule)
            }
        }.joined(separator: "\n")
    }

    /// ``eventList``'s lines for the boxed expected events of `rule`.
    func boxLines(_ rule: ClipEvaluation.RuleOutcome) -> [String] {
        rule.expected.compactMap { wanted in
            guard let box = wanted.box else { return nil }
            let near = rule.detected.filter { abs($0.time - wanted.time) <= tolerance }.map { found in
                let overlap = found.box(comparedAt: wanted.time).map { Self.fixed($0.intersectionOverUnion(box), 2) } ?? "no box"
                return "\(Self.fixed(found.time, 1)) IoU \(overlap)"
            }
            return "    \(Self.fixed(wanted.time, 1)) at \(box.x),\(box.y) \(box.width)x\(box.height): "
                + (near.isEmpty ? "nothing within \(Self.fixed(tolerance, 1)) s" : near.joined(separator: ", "))
        }
    }

    /// Right-aligned columns (the first left-aligned) two spaces apart.
    static func layout(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    static func row(_ name: String, clips: Int, _ score: EventScore) -> [String] {
        [name, "\(clips)", "\(score.truePositives)", "\(score.falsePositives)", "\(score.falseNegatives)",
         fixed(score.precision, 3), fixed(score.recall, 3), fixed(score.f1, 3)]
    }

    /// `value` with `digits` decimals, without Foundation's formatter.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + "\(whole)" }
        let digitsText = String(fraction)
        return sign + "\(whole)." + String(repeating: "0", count: digits - digitsText.count) + digitsText
    }
}
