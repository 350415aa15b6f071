import CityWatchDomain
import CityWatchEvaluation
import Testing

@Suite("Event scoring")
struct EventScoreTests {
    @Test func eachDetectionMatchesOneExpectationWithinTheTolerance() {
        let score = EventScore.match(detected: [.init(time: 10.5), .init(time: 10.8), .init(time: 30)],
                                     expected: [.init(time: 10), .init(time: 20)], tolerance: 2)
        #expect(score == EventScore(truePositives: 1, falsePositives: 2, falseNegatives: 1))
        #expect(abs(score.precision - 1.0 / 3) < 1e-9 && score.recall == 0.5)
    }

    @Test func boxesThatDoNotOverlapEnoughDoNotMatch() {
        let box = PixelBox(x: 0, y: 0, width: 10, height: 10)
        let shifted = PixelBox(x: 6, y: 0, width: 10, height: 10)
        #expect(EventScore.match(detected: [.init(time: 1, box: shifted)], expected: [.init(time: 1, box: box)]).truePositives == 0)
        #expect(EventScore.match(detected: [.init(time: 1, box: PixelBox(x: 1, y: 0, width: 10, height: 10))],
                                 expected: [.init(time: 1, box: box)]).truePositives == 1)
    }

    @Test func nothingExpectedAndNothingFoundIsPerfect() {
        #expect(EventScore.match(detected: [], expected: []).f1 == 1)
        #expect(EventScore.match(detected: [.init(time: 1)], expected: []).f1 == 0)
    }
}
