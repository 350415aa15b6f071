import CityWatchEvaluation
import Testing

@Suite("Evaluation report")
struct EvaluationReportTests {
    func outcome(_ rule: String, _ kind: String, _ score: EventScore) -> ClipEvaluation.RuleOutcome {
        ClipEvaluation.RuleOutcome(rule: rule, kind: kind, expected: [], detected: [], score: score)
    }

    @Test func kindsAddUpOverClipsAndCountEachClipOnce() {
        let a = ClipEvaluation(clip: "a", frames: 100, analysisSeconds: 0.5, rules: [
            outcome("east", "lineCrossing", EventScore(truePositives: 3, falsePositives: 1, falseNegatives: 0)),
            outcome("west", "lineCrossing", EventScore(truePositives: 2, falsePositives: 0, falseNegatives: 2)),
        ])
        let b = ClipEvaluation(clip: "b", frames: 300, analysisSeconds: 1.5, rules: [
            outcome("zone", "intrusion", EventScore(truePositives: 1, falsePositives: 0, falseNegatives: 0)),
        ])
        let report = EvaluationReport(clips: [a, b], tolerance: 2, minimumOverlap: 0.5)
        #expect(report.kinds.map(\.kind) == ["lineCrossing", "intrusion"])
        #expect(report.kinds.map(\.clips) == [1, 1])
        #expect(report.score(of: "lineCrossing") == EventScore(truePositives: 5, falsePositives: 1, falseNegatives: 2))
        #expect(report.overall == EventScore(truePositives: 6, falsePositives: 1, falseNegatives: 2))
        #expect(report.framesPerSecond == 200)
        #expect(report.table.contains("lineCrossing      1   5   1   2      0.833   0.714  0.769"))
        #expect(report.ruleTable.contains("a · west"))
    }
}
