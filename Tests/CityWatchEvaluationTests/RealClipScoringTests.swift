import CityWatchDomain
import CityWatchEvaluation
import Testing

/// How a real clip's detections are scored: labelled boxes, the fall deadline, clip-level truth.
@Suite("Real clip scoring")
struct RealClipScoringTests {
    static let wholePicture = ImagePolygon(points: [ImagePoint(x: 0, y: 0), ImagePoint(x: 1, y: 0), ImagePoint(x: 1, y: 1), ImagePoint(x: 0, y: 1)])
    let scoring = RealClipScoring(tolerance: 2)

    func outcome(_ kind: AnalyticsRule.Kind, events: [RealClipLabels.LabelledEvent] = [], clipLevel: ClipLevelTruth? = nil,
                 detected: [EventScore.Occurrence]) -> ClipEvaluation.RuleOutcome {
        scoring.outcome(of: RealClipLabels.LabelledRule(name: "rule", kind: kind, events: events), clipLevel: clipLevel,
                        detected: detected, width: 320, height: 240)
    }

    @Test func aBoxedLabelIsMatchedOnlyByADetectionOverlappingItAtHalfIoU() {
        // A quarter of the picture from (0.25, 0.25): pixels (80, 60) to (160, 120) of 320×240.
        let label = RealClipLabels.LabelledEvent(time: 10, box: ImageBox(x: 0.25, y: 0.25, width: 0.25, height: 0.25))
        let kind = AnalyticsRule.Kind.loitering(zone: Self.wholePicture, seconds: 5)
        let same = outcome(kind, events: [label], detected: [.init(time: 10.5, box: PixelBox(x: 84, y: 60, width: 80, height: 60))])
        #expect(same.score == EventScore(truePositives: 1))
        let beside = outcome(kind, events: [label], detected: [.init(time: 10.5, box: PixelBox(x: 130, y: 60, width: 80, height: 60))])
        #expect(beside.score == EventScore(truePositives: 0, falsePositives: 1, falseNegatives: 1))
        let boxless = outcome(kind, events: [label], detected: [.init(time: 10)])
        #expect(boxless.score == EventScore(truePositives: 0, falsePositives: 1, falseNegatives: 1))
    }

    @Test func aDetectionIsComparedWithALabelledBoxWhereItsObjectWasAtTheLabelledMoment() {
        // The label: a walker at (80, 60) 20×40 at 10 s. The detection fires 1.5 s later, when
        // its walker has gone 30 px on: its own box hardly overlaps the label's.
        let label = RealClipLabels.LabelledEvent(time: 10, box: ImageBox(x: 0.25, y: 0.25, width: 0.0625, height: 1.0 / 6))
        let kind = AnalyticsRule.Kind.loitering(zone: Self.wholePicture, seconds: 5)
        let walked = (0...20).map { step in
            EventScore.TimedBox(time: 9 + Double(step) * 0.2, box: PixelBox(x: 60 + step * 4, y: 60, width: 20, height: 40))
        }
        let later = PixelBox(x: 110, y: 60, width: 20, height: 40)
        #expect(outcome(kind, events: [label], detected: [.init(time: 11.5, box: later)]).score.truePositives == 0)
        // Its path shows it at the label's box at 10 s: the same object, matched.
        let matched = outcome(kind, events: [label], detected: [.init(time: 11.5, box: later, trackId: 7, path: walked)])
        #expect(matched.score == EventScore(truePositives: 1))
        // Another walker's path, 40 px off at 10 s: not matched, whatever its box.
        let other = walked.map { EventScore.TimedBox(time: $0.time, box: $0.box.offsetBy(dx: 40, dy: 0)) }
        #expect(outcome(kind, events: [label], detected: [.init(time: 10.5, box: PixelBox(x: 82, y: 60, width: 20, height: 40), trackId: 8,
                                                                  path: other)]).score.truePositives == 0)
        // Not seen within 0.3 s of the labelled moment: its own box decides.
        let gap = walked.filter { abs($0.time - 10) > 0.5 }
        #expect(outcome(kind, events: [label], detected: [.init(time: 10.2, box: PixelBox(x: 81, y: 60, width: 20, height: 40), trackId: 9,
                                                                  path: gap)]).score.truePositives == 1)
    }

    @Test func aLabelWithoutABoxIsMatchedOnTimeAlone() {
        let result = outcome(.loitering(zone: Self.wholePicture, seconds: 5), events: [.init(time: 10)],
                             detected: [.init(time: 11.5, box: PixelBox(x: 0, y: 0, width: 4, height: 4))])
        #expect(result.score == EventScore(truePositives: 1))
        #expect(result.timesToDetect == [1.5])
    }

    @Test func aFallRaisedAfterTheDeadlineIsAMissAndAFalseAlarm() {
        let fall = AnalyticsRule.Kind.fall(zone: Self.wholePicture, seconds: 1)
        let onset = RealClipLabels.LabelledEvent(time: 2)
        #expect(RealClipScoring.fallDeadline == 3)
        #expect(outcome(fall, events: [onset], detected: [.init(time: 4.9)]).score == EventScore(truePositives: 1))
        #expect(outcome(fall, events: [onset], detected: [.init(time: 5.2)]).score == EventScore(falsePositives: 1, falseNegatives: 1))
        // Before the onset the tolerance still applies.
        #expect(outcome(fall, events: [onset], detected: [.init(time: 0.5)]).score == EventScore(truePositives: 1))
        #expect(outcome(fall, events: [onset], detected: [.init(time: -0.5)]).score == EventScore(falsePositives: 1, falseNegatives: 1))
    }

    @Test func otherKindsKeepTheSymmetricTolerance() {
        let intrusion = AnalyticsRule.Kind.intrusion(zone: Self.wholePicture)
        #expect(scoring.window(for: intrusion) == .symmetric(2))
        #expect(RealClipScoring(tolerance: 5).window(for: .fall(zone: Self.wholePicture, seconds: 1)) == EventScore.Window(before: 5, after: 3))
        #expect(outcome(intrusion, events: [.init(time: 2)], detected: [.init(time: 4)]).score == EventScore(truePositives: 1))
        #expect(outcome(intrusion, events: [.init(time: 2)], detected: [.init(time: 4.1)]).score.truePositives == 0)
    }

    @Test func aClipThatShouldRaiseTheRuleCountsOnceWhateverTheTimes() {
        let kind = AnalyticsRule.Kind.intrusion(zone: Self.wholePicture)
        let raised = outcome(kind, clipLevel: .raises, detected: [.init(time: 0.2), .init(time: 1.4), .init(time: 1.8)])
        #expect(raised.score == EventScore(truePositives: 1))
        #expect(outcome(kind, clipLevel: .raises, detected: []).score == EventScore(falseNegatives: 1))
        #expect(!raised.isTrueNegative)
    }

    @Test func aClipThatShouldRaiseNothingIsOneFalseAlarmOrOneTrueNegative() {
        let kind = AnalyticsRule.Kind.intrusion(zone: Self.wholePicture)
        let noisy = outcome(kind, clipLevel: .raisesNothing, detected: [.init(time: 0.2), .init(time: 1.4)])
        let quiet = outcome(kind, clipLevel: .raisesNothing, detected: [])
        #expect(noisy.score == EventScore(falsePositives: 1))
        #expect(quiet.score == EventScore())
        #expect(quiet.isTrueNegative && !noisy.isTrueNegative)
        let positive = outcome(kind, clipLevel: .raises, detected: [.init(time: 1)])
        let report = EvaluationReport(clips: [ClipEvaluation(clip: "a", frames: 10, analysisSeconds: 1, rules: [noisy]),
                                              ClipEvaluation(clip: "b", frames: 10, analysisSeconds: 1, rules: [quiet]),
                                              ClipEvaluation(clip: "c", frames: 10, analysisSeconds: 1, rules: [positive])],
                                      tolerance: 2, minimumOverlap: 0.5)
        let row = report.kinds.first
        #expect(row?.clips == 3 && row?.trueNegatives == 1 && row?.expectedEvents == 1)
        #expect(row?.score == EventScore(truePositives: 1, falsePositives: 1))
    }

    @Test func theFileVerdictAppliesToRulesWithoutTheirOwn() {
        let kind = AnalyticsRule.Kind.intrusion(zone: Self.wholePicture)
        let labels = RealClipLabels(about: "", clip: "c", analysisWidth: 320, analysisHeight: 240, analysisFPS: 5,
                                    rules: [.init(name: "a", kind: kind), .init(name: "b", kind: kind, clipLevel: .raises)],
                                    clipLevel: .raisesNothing)
        let result = scoring.evaluation(of: labels, detections: [[.init(time: 1)], [.init(time: 1)]], frames: 10, analysisSeconds: 0)
        #expect(result.rules.map(\.clipLevel) == [.raisesNothing, .raises])
        #expect(result.rules.map(\.score) == [EventScore(falsePositives: 1), EventScore(truePositives: 1)])
    }

    @Test func timesToDetectGiveTheMedianAndTheWorst() {
        let kind = AnalyticsRule.Kind.intrusion(zone: Self.wholePicture)
        let a = outcome(kind, events: [.init(time: 1), .init(time: 10)], detected: [.init(time: 1.5), .init(time: 11.5)])
        let b = outcome(kind, events: [.init(time: 4), .init(time: 20)], detected: [.init(time: 3), .init(time: 20.25)])
        let report = EvaluationReport(clips: [ClipEvaluation(clip: "a", frames: 1, analysisSeconds: 1, rules: [a, b])],
                                      tolerance: 2, minimumOverlap: 0.5)
        #expect(report.kinds.first?.timesToDetect == [-1, 0.25, 0.5, 1.5])
        #expect(report.kinds.first?.medianTimeToDetect == 0.375)
        #expect(report.kinds.first?.worstTimeToDetect == 1.5)
        #expect(RealSetReport(report: report, labelFiles: ["x"], failures: []).table.contains("0.38       1.50"))
    }
}
