import CityWatchDomain
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

    /// The verbose list shows, under a labelled event with a box, each detection within the
    /// tolerance and its IoU with that box where the detected object was at the labelled moment.
    @Test func theEventListShowsTheOverlapOfEachNearDetectionWithALabelledBox() {
        let labelled = EventScore.Occurrence(time: 5, box: PixelBox(x: 100, y: 50, width: 10, height: 30))
        // Right time, wrong person; a little late, the right one (seen at the labelled moment);
        // right person but seen only at its own time, half over; far too late.
        let wrong = EventScore.Occurrence(time: 5.5, box: PixelBox(x: 200, y: 50, width: 10, height: 30))
        let late = EventScore.Occurrence(time: 6.5, box: PixelBox(x: 130, y: 50, width: 10, height: 30),
                                         path: [EventScore.TimedBox(time: 5.1, box: PixelBox(x: 100, y: 50, width: 10, height: 30))])
        let half = EventScore.Occurrence(time: 4, box: PixelBox(x: 105, y: 50, width: 10, height: 30))
        let tooLate = EventScore.Occurrence(time: 9, box: PixelBox(x: 100, y: 50, width: 10, height: 30))
        let rule = ClipEvaluation.RuleOutcome(rule: "loiter", kind: "loitering", expected: [labelled, EventScore.Occurrence(time: 20)],
                                              detected: [half, wrong, late, tooLate], score: EventScore(truePositives: 1, falsePositives: 3, falseNegatives: 1))
        let lonely = ClipEvaluation.RuleOutcome(rule: "alone", kind: "loitering", expected: [EventScore.Occurrence(time: 30, box: labelled.box)],
                                                detected: [], score: EventScore(falseNegatives: 1))
        let report = EvaluationReport(clips: [ClipEvaluation(clip: "c", frames: 10, analysisSeconds: 1, rules: [rule, lonely])],
                                      tolerance: 2, minimumOverlap: 0.5)
        let lines = report.eventList.split(separator: "\n").map(String.init)
        #expect(lines == [
            "c · loiter: expected [5.0 20.0] detected [4.0 5.5 6.5 9.0]",
            "    5.0 at 100,50 10x30: 4.0 IoU 0.33, 5.5 IoU 0.00, 6.5 IoU 1.00",
            "c · alone: expected [30.0] detected []",
            "    30.0 at 100,50 10x30: nothing within 2.0 s",
        ], "\(lines)")
    }
}
