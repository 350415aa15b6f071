import CityWatchAnalytics
import CityWatchDomain
import Testing

@Suite("Motion detector on bad input")
struct MotionDetectorEdgeCaseTests {
    @Test func frameOfAnotherSizeIsRefusedAndTheAnalyserStartsOverAtIt() throws {
        var detector = MotionDetector(width: 320, height: 180)
        #expect(detector.process(GrayImage(width: 640, height: 360, value: 100), time: 0) == .wrongSize(width: 640, height: 360))
        var analyzer = MotionAnalyzer(width: 320, height: 180)
        for index in 0..<15 { _ = analyzer.process(AnalyticsFixtures.noisyFrame(frame: index), time: Double(index) / 10) }
        let resized = analyzer.process(GrayImage(width: 160, height: 90, value: 110), time: 1.5)
        #expect(resized.resized)
        #expect(resized.status == .learning(framesLeft: 9))
        #expect(analyzer.detector.width == 160 && analyzer.tracker.width == 160)
    }

    @Test func blackFramesLeaveTheBackgroundAlone() throws {
        var detector = MotionDetector(width: 320, height: 180)
        for index in 0..<12 { _ = detector.process(AnalyticsFixtures.noisyFrame(frame: index), time: Double(index) / 10) }
        for index in 12..<30 {
            #expect(detector.process(GrayImage(width: 320, height: 180, value: 0), time: Double(index) / 10) == .black)
            #expect(detector.blobs.isEmpty)
        }
        // The picture comes back: nothing moved, nothing reported, no relearning.
        #expect(detector.process(AnalyticsFixtures.noisyFrame(frame: 30), time: 3) == .analysed)
        #expect(detector.blobs.isEmpty)
    }

    @Test func frozenPictureIsReportedAfterFrozenSecondsAndRecoveryIsClean() throws {
        var detector = MotionDetector(width: 320, height: 180, configuration: MotionConfiguration(frozenSeconds: 2))
        for index in 0..<12 { _ = detector.process(AnalyticsFixtures.noisyFrame(frame: index), time: Double(index) / 10) }
        let stuck = AnalyticsFixtures.noisyFrame(frame: 12)
        var statuses: [MotionStatus] = []
        for index in 12..<40 { statuses.append(detector.process(stuck, time: Double(index) / 10)) }
        #expect(statuses.prefix(20).allSatisfy { $0 == .analysed })
        guard case .frozen(let seconds) = try #require(statuses.last) else { Issue.record("not frozen: \(statuses)"); return }
        #expect(abs(seconds - 2.7) < 0.01)
        #expect(detector.process(AnalyticsFixtures.noisyFrame(frame: 40), time: 4) == .analysed)
        #expect(detector.blobs.isEmpty)
    }

    @Test func suddenTotalLightChangeStartsLearningAgain() throws {
        var detector = MotionDetector(width: 320, height: 180)
        for index in 0..<12 { _ = detector.process(AnalyticsFixtures.noisyFrame(level: 40, frame: index), time: Double(index) / 10) }
        let status = detector.process(AnalyticsFixtures.noisyFrame(level: 220, frame: 12), time: 1.2)
        guard case .relearning(let gain) = status else { Issue.record("expected relearning, got \(status)"); return }
        #expect(gain > 4)
    }

    @Test func wholeFrameForegroundDoesNotCrashAndIsCapped() throws {
        let configuration = MotionConfiguration(shakeRadius: 0, openRadius: 0, closeRadius: 0, minimumBlobArea: 1, maximumBlobs: 5)
        var detector = MotionDetector(width: 320, height: 180, configuration: configuration)
        for index in 0..<10 { _ = detector.process(GrayImage(width: 320, height: 180, value: 100), time: Double(index) / 10) }
        // A checkerboard: every other pixel differs, the worst case for the labeller.
        var board = GrayImage(width: 320, height: 180, value: 100)
        for row in 0..<180 { for column in 0..<320 where (row + column) % 2 == 0 { board[column, row] = 101 } }
        for row in 0..<180 { for column in 0..<320 where (row + column) % 2 == 0 { board[column, row] = 200 } }
        #expect(detector.process(board, time: 1) == .analysed)
        #expect(detector.blobs.count == 1)   // diagonal neighbours join: one component
        #expect(detector.droppedBlobs == 0)
    }
}
