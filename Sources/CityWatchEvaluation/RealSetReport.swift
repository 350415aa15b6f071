/// What `citywatch eval --real-set` found: the scores of every clip that ran, per rule kind with
/// times to detect, and every label file or clip that could not be run. Encodes to the JSON
/// `--json` prints.
public struct RealSetReport: Sendable, Codable, Hashable {
    /// The scores, per clip and per rule kind.
    public var report: EvaluationReport
    /// The label or set file of each clip of ``report``, in the same order.
    public var labelFiles: [String]
    /// Files, folders or clips that could not be run; the run's exit status is non-zero when any.
    public var failures: [RealSet.Failure]
    /// The rows of ``table``: one per rule kind, then `all`.
    public var summary: [KindSummary]

    public init(report: EvaluationReport, labelFiles: [String], failures: [RealSet.Failure]) {
        self.report = report
        self.labelFiles = labelFiles
        self.failures = failures
        let all = EvaluationReport.KindScore(kind: "all", clips: report.clips.count, score: report.overall,
                                             trueNegatives: report.kinds.reduce(0) { $0 + $1.trueNegatives },
                                             timesToDetect: report.kinds.flatMap(\.timesToDetect).sorted())
        summary = (report.kinds + [all]).map(KindSummary.init)
    }

    /// One rule kind's figures as the table shows them (and `--json` gives them).
    public struct KindSummary: Sendable, Codable, Hashable {
        public var kind: String
        /// Clips with a rule of this kind.
        public var clips: Int
        /// Events that should have been raised (a clip-level clip that should raise counts one).
        public var expected: Int
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int
        /// Clip-level clips that should raise nothing and stayed quiet.
        public var trueNegatives: Int
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Seconds from the labelled time to the matched detection: the median and the latest.
        public var medianTimeToDetect: Double?
        public var worstTimeToDetect: Double?

        init(_ row: EvaluationReport.KindScore) {
            kind = row.kind
            clips = row.clips
            expected = row.expectedEvents
            truePositives = row.score.truePositives
            falsePositives = row.score.falsePositives
            falseNegatives = row.score.falseNegatives
            trueNegatives = row.trueNegatives
            precision = row.score.precision
            recall = row.score.recall
            f1 = row.score.f1
            medianTimeToDetect = row.medianTimeToDetect
            worstTimeToDetect = row.worstTimeToDetect
        }

        /// The row's cells: counts, three-decimal scores, two-decimal seconds ("-" when none).
        var cells: [String] {
            let seconds = { (value: Double?) in value.map { EvaluationReport.fixed($0, 2) } ?? "-" }
            return [kind, "\(clips)", "\(expected)", "\(truePositives)", "\(falsePositives)", "\(falseNegatives)", "\(trueNegatives)",
                    EvaluationReport.fixed(precision, 3), EvaluationReport.fixed(recall, 3), EvaluationReport.fixed(f1, 3),
                    seconds(medianTimeToDetect), seconds(worstTimeToDetect)]
        }
    }

    /// One row per rule kind — clips, expected events, TP, FP, FN, clip-level true negatives,
    /// precision, recall, F1, and the median and worst time to detect (detection minus labelled
    /// time of the matched events, in seconds) — then the total, the settings and the failures.
    public var table: String {
        var text = EvaluationReport.layout(
            header: ["rule", "clips", "expected", "TP", "FP", "FN", "TN", "precision", "recall", "F1", "TTD median", "TTD worst"],
            rows: summary.map(\.cells))
        let frames = report.clips.reduce(0) { $0 + $1.frames }
        text += "\n\(report.clips.count) clips, \(frames) frames, analyzer \(EvaluationReport.fixed(report.framesPerSecond, 0)) frames/s; "
            + "tolerance \(EvaluationReport.fixed(report.tolerance, 1)) s (falls: up to \(EvaluationReport.fixed(RealClipScoring.fallDeadline, 1)) s "
            + "after the onset), boxes at IoU ≥ \(EvaluationReport.fixed(report.minimumOverlap, 2)); TN = clip-level clips rightly quiet"
        if !failures.isEmpty {
            text += "\n\n\(failures.count) not run:\n" + failures.map { "  \($0)" }.joined(separator: "\n")
        }
        return text
    }
}
