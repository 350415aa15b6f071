import CityWatchAnalytics
import CityWatchMedia
import Testing

/// The synthetic street (see ``TamperFrames``) is tampered with from 15 s (frame 75) to 30 s
/// (frame 150) of its 40 s; the detector must report that condition once, after its hold time,
/// and nothing else but the return to normal.
@Suite("Tamper detection on a synthetic street")
struct TamperDetectorTests {
    typealias T = TamperFrames
    static let tampered = 75..<150

    /// The changes as (from, to) pairs.
    static func steps(_ changes: [TamperChange]) -> [String] {
        changes.map { "\($0.from.rawValue)→\($0.to.rawValue)" }
    }

    @Test func peopleWalkingThroughASteadyViewRaiseNothing() {
        let (changes, detector) = T.changes()
        #expect(changes.isEmpty)
        #expect(detector.hasReference)
        #expect(detector.state == .normal)
    }

    /// A plain view (the synthetic intrusion scene's flat gray yard) is nearly featureless when
    /// nobody is in it: that is the view, not a covered lens.
    @Test func featurelessViewWithPeopleComingAndGoingRaisesNothing() {
        var scene = try! BuiltInScene.intrusion.scene(.init(width: T.width, height: T.height, fps: T.fps, duration: T.seconds))
        scene.effects.noise = 2
        let renderer = SyntheticRenderer(scene: scene)
        let frames = (0..<scene.frameCount).map { T.luma(renderer.render(frame: $0)) }
        let (changes, _) = T.changes(of: frames)
        #expect(changes.isEmpty, "\(changes)")
    }

    @Test func coveredLensIsCoveredAfterItsHoldTimeAndClearsWhenUncovered() throws {
        let (changes, _) = T.changes { Self.tampered.contains($0) ? T.covered(level: 12, frame: $0) : $1 }
        #expect(Self.steps(changes) == ["normal→covered", "covered→normal"])
        let covered = try #require(changes.first)
        #expect(covered.time == 18)   // 15 s + 3 s hold
        #expect(covered.figure < 4)
        #expect(changes.last?.time == 32)   // 30 s + 2 s to clear
    }

    @Test func blindedLensIsCovered() {
        let (changes, _) = T.changes { Self.tampered.contains($0) ? T.covered(level: 250, frame: $0) : $1 }
        #expect(Self.steps(changes) == ["normal→covered", "covered→normal"])
    }

    @Test func coverShorterThanTheHoldTimeRaisesNothing() {
        let (changes, _) = T.changes { (75..<85).contains($0) ? T.covered(level: 12, frame: $0) : $1 }
        #expect(changes.isEmpty)
    }

    @Test func lensCoveredFromTheStartIsCoveredBeforeAnyReference() {
        let (changes, detector) = T.changes { $0 < 40 ? T.covered(level: 8, frame: $0) : $1 }
        #expect(Self.steps(changes) == ["normal→covered", "covered→normal"])
        #expect(changes.first?.time == 3)
        #expect(detector.hasReference)
    }

    @Test func blurredPictureIsDefocused() throws {
        let (changes, _) = T.changes { Self.tampered.contains($0) ? T.blurred($1, radius: 3) : $1 }
        #expect(Self.steps(changes) == ["normal→defocused", "defocused→normal"])
        let defocused = try #require(changes.first)
        #expect(defocused.time == 20)   // 15 s + 5 s hold
        #expect(defocused.figure < 0.4)
    }

    @Test(arguments: [(dx: 20, dy: 0), (dx: -20, dy: 0), (dx: 0, dy: 20)])
    func viewShiftedTwentyPixelsIsMoved(dx: Int, dy: Int) throws {
        let (changes, _) = T.changes { Self.tampered.contains($0) ? T.shifted($1, dx: dx, dy: dy) : $1 }
        #expect(Self.steps(changes) == ["normal→moved", "moved→normal"])
        let moved = try #require(changes.first)
        // 15 s + 0.6 s until the new view is steady (it matches the last second's) + 4 s hold.
        #expect(moved.time == 19.6)
        #expect(moved.measurement.shiftX == dx)
        #expect(moved.measurement.shiftY == dy)
        #expect(moved.figure == 20)
    }

    @Test func repeatedFrameIsFrozenAfterItsHoldTime() throws {
        let (changes, _) = T.changes { Self.tampered.contains($0) ? T.street[75] : $1 }
        #expect(Self.steps(changes) == ["normal→frozen", "frozen→normal"])
        let frozen = try #require(changes.first)
        #expect(frozen.time == 23)   // frames repeat from 15 s, 8 s hold
        #expect(frozen.figure == 8)
    }

    @Test func duskToNightAndBrightDaylightRaiseNothing() {
        let (changes, _) = T.changes { index, frame in
            let time = T.time(index)
            let gain = time < 15 ? 1 : time < 24 ? 1 - 0.1 * (time - 15) : time < 30 ? 0.12 : min(1.4, 0.12 + 0.25 * (time - 30))
            return T.lit(frame, gain: gain)
        }
        #expect(changes.isEmpty)
    }

    @Test func headlightGlareSweepingThroughRaisesNothing() {
        let (changes, _) = T.changes { (75..<95).contains($0) ? T.glare($1, x: ($0 - 75) * 15 - 60) : $1 }
        #expect(changes.isEmpty)
    }

    @Test func noisyNightSceneFallingDarkRaisesNothing() {
        #expect(T.changes(of: T.render(.night)).changes.isEmpty)
    }

    @Test func frameOfAnotherSizeIsIgnored() {
        var detector = TamperDetector(width: 320, height: 180)
        #expect(detector.process(GrayImage(width: 160, height: 90), time: 0) == nil)
        #expect(detector.measurement == TamperMeasurement())
    }

    @Test func relearningAcceptsTheNewViewOfATurnedCamera() {
        var detector = TamperDetector(width: T.width, height: T.height)
        var changes: [TamperChange] = []
        for (index, frame) in T.street.enumerated() {
            let view = index >= 75 ? T.shifted(frame, dx: 20, dy: 0) : frame
            if let change = detector.process(view, time: T.time(index)) { changes.append(change) }
            if index == 100 { detector.relearn() }
        }
        #expect(Self.steps(changes) == ["normal→moved", "moved→normal"])
        #expect(detector.hasReference)
        #expect(detector.measurement.shiftX == 0)
    }
}
