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

    public init(report: EvaluationReport, labelFiles: [String], failures: [RealSet.Failure]) {
        self.report = report
        self.labelFiles = labelFiles
        self.failures = failures
    }

    /// One row per rule kind — clips, expected events, TP, FP, FN, clip-level true negatives,
    /// precision, recall, F1, and the median and worst time to detect (detection minus labelled
    /// time of the matched events, in seconds) — then the total, the settings and the failures.
    public var table: String {
        var rows = report.kinds.map { Self.row($0.kind, $0) }
        let all = EvaluationReport.KindScore(kind: "all", clips: report.clips.count, score: report.overall,
                                             trueNegatives: report.kinds.reduce(0) { $0 + $1.trueNegatives },
                                             timesToDetect: report.kinds.flatMap(\.timesToDetect).sorted())
        rows.append(Self.row("all", all))
        var text = EvaluationReport.layout(
            header: ["rule", "clips", "expected", "TP", "FP", "FN", "TN", "precision", "recall", "F1", "TTD median", "TTD worst"], rows: rows)
        let frames = report.clips.reduce(0) { $0 + $1.frames }
        text += "\n\(report.clips.count) clips, \(frames) frames, analyzer \(EvaluationReport.fixed(report.framesPerSecond, 0)) frames/s; "
            + "tolerance \(EvaluationReport.fixed(report.tolerance, 1)) s (falls: up to \(EvaluationReport.fixed(RealClipScoring.fallDeadline, 1)) s "
            + "after the onset), boxes at IoU ≥ \(EvaluationReport.fixed(report.minimumOverlap, 2)); TN = clip-level clips rightly quiet"
        if !failures.isEmpty {
            text += "\n\n\(failures.count) not run:\n" + failures.map { "  \($0)" }.joined(separator: "\n")
        }
        return text
    }

    static func row(_ name: String, _ kind: EvaluationReport.KindScore) -> [String] {
        let score = kind.score
        let seconds = { (value: Double?) in value.map { EvaluationReport.fixed($0, 2) } ?? "-" }
        return [name, "\(kind.clips)", "\(kind.expectedEvents)", "\(score.truePositives)", "\(score.falsePositives)",
                "\(score.falseNegatives)", "\(kind.trueNegatives)", EvaluationReport.fixed(score.precision, 3),
                EvaluationReport.fixed(score.recall, 3), EvaluationReport.fixed(score.f1, 3), seconds(kind.medianTimeToDetect),
                seconds(kind.worstTimeToDetect)]
    }
}
