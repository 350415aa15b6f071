import CityWatchAnalytics
import CityWatchDomain
import Testing

@Suite("Rules: line crossing")
struct RuleLineCrossingTests {
    typealias F = RuleFixtures

    /// A line across the picture at y = 0.5 (90 px), drawn left to right from x = 0.2 to 0.9
    /// (64…288 px): its left side is the top of the picture, its right side the bottom.
    static let line = ImageLine(start: ImagePoint(x: 0.2, y: 0.5), end: ImagePoint(x: 0.9, y: 0.5))

    static func engine(_ direction: CrossingDirection, coolDown: Double = 30) -> RuleEngine {
        F.engine(AnalyticsRule(name: "gate", kind: .lineCrossing(line: line, direction: direction), coolDownSeconds: coolDown))
    }

    /// Track `id` at foot x = `x` with the foot rows `rows`, a frame every 0.2 s.
    static func path(_ id: Int = 1, x: Int = 160, rows: [Int]) -> [RuleFrame] {
        rows.enumerated().map { index, row in
            RuleFrame(time: Double(index) * 0.2, tracks: [F.track(id, footX: x, footY: row)])
        }
    }

    @Test func crossingDownwardsOverALineDrawnLeftToRightIsLeftToRight() throws {
        var engine = Self.engine(.leftToRight)
        let events = engine.run(Self.path(rows: [60, 70, 80, 100, 110, 120]))
        let event = try #require(events.first)
        #expect(events.count == 1)
        // Raised at frame 3 (foot row 100, past the line at 90), timed when the step from row 80
        // (0.4 s) met the line: foot points are on the last pixel row, 79.5 → 99.5, so
        // 10.5 / 20 of the way, 0.505 s.
        #expect(abs(event.time - 0.505) < 1e-9, "\(event.time)")
        #expect(event.direction == .leftToRight)
        #expect(event.kind == "lineCrossing")
    }

    /// A track whose blob vanished above the line and coasts on across it (a person walking
    /// into a doorway, a shadow gone) crosses nothing; one seen again below the line has crossed.
    @Test func aCoastingTrackCrossesNothingUntilItIsSeenOnTheOtherSide() {
        func frames(seenAgainAt row: Int?) -> [RuleFrame] {
            var frames = Self.path(rows: [60, 70, 80])
            for (step, row) in [100, 110, 120].enumerated() {
                var coasting = F.track(1, footX: 160, footY: row, time: 0.6 + 0.2 * Double(step))
                coasting.missedFrames = step + 1
                frames.append(RuleFrame(time: 0.6 + 0.2 * Double(step), tracks: [coasting]))
            }
            if let row { frames.append(RuleFrame(time: 1.2, tracks: [F.track(1, footX: 160, footY: row, time: 1.2)])) }
            return frames
        }
        var lost = Self.engine(.either)
        #expect(lost.run(frames(seenAgainAt: nil)).isEmpty, "predicted positions crossed the line")
        var found = Self.engine(.either)
        let events = found.run(frames(seenAgainAt: 130))
        // Timed on the straight way from the last sight (79.5 at 0.4 s) to the next (129.5 at
        // 1.2 s): 10.5 / 50 of it, 0.568 s.
        #expect(events.map(\.direction) == [.leftToRight] && abs((events.first?.time ?? 0) - 0.568) < 1e-9, "\(events)")
    }

    @Test func aTrackLostAtThePictureEdgeCrossesALineDrawnThereOnItsWayOut() {
        // A line near the bottom edge (y = 0.97, 174.6 px); a walker going down at 50 px/s is
        // last seen touching the edge, just short of the line, and is gone the frame after.
        let low = ImageLine(start: ImagePoint(x: 0.2, y: 0.97), end: ImagePoint(x: 0.9, y: 0.97))
        func walk(rows: [Int]) -> [RuleFrame] {
            var frames = rows.enumerated().map { index, row in
                var track = F.track(1, footX: 160, footY: row, time: Double(index) * 0.2)
                track.velocityY = 50
                return RuleFrame(time: Double(index) * 0.2, tracks: [track])
            }
            frames.append(RuleFrame(time: Double(rows.count) * 0.2, tracks: []))
            return frames
        }
        var atEdge = F.engine(AnalyticsRule(name: "exit", kind: .lineCrossing(line: low, direction: .leftToRight), coolDownSeconds: 0))
        let events = atEdge.run(walk(rows: [150, 160, 168, 177]))
        // Timed on the way from the last settled point (167.5 at 0.4 s) to where its velocity
        // takes it 0.5 s after the last sight (201.5 at 1.1 s): 7.1 / 34 of it, 0.546 s.
        #expect(events.map(\.direction) == [.leftToRight] && abs((events.first?.time ?? 0) - (0.4 + 0.7 * 7.1 / 34)) < 1e-9, "\(events)")
        // Lost in the middle of the picture (behind a wall), heading the same way: nothing.
        let middle = ImageLine(start: ImagePoint(x: 0.2, y: 0.5), end: ImagePoint(x: 0.9, y: 0.5))
        var inside = F.engine(AnalyticsRule(name: "gate", kind: .lineCrossing(line: middle, direction: .either), coolDownSeconds: 0))
        #expect(inside.run(walk(rows: [60, 70, 80, 86])).isEmpty)
    }

    @Test func crossingTheWrongWayRaisesNothing() {
        var engine = Self.engine(.leftToRight)
        #expect(engine.run(Self.path(rows: [120, 110, 100, 80, 70, 60])).isEmpty)
        var either = Self.engine(.either)
        #expect(either.run(Self.path(rows: [120, 110, 100, 80, 70, 60])).map(\.direction) == [.rightToLeft])
    }

    @Test func jitterOnTheLineIsNoCrossing() {
        var engine = Self.engine(.either, coolDown: 0)
        // Settles above, then wobbles within 2 px of the line, and goes back up.
        #expect(engine.run(Self.path(rows: [80, 88, 91, 89, 92, 88, 90, 91, 89, 80])).isEmpty)
    }

    @Test func footPointStoppingExactlyOnTheLineCrossesWhenItGoesOn() {
        var engine = Self.engine(.leftToRight)
        #expect(engine.run(Self.path(rows: [70, 80, 90, 90, 90, 100, 110])).count == 1)
    }

    @Test func passingBeyondTheEndOfTheSegmentIsNoCrossing() {
        var engine = Self.engine(.either)
        // x = 30 px is 0.09 of the width, left of the line's start at 0.2.
        #expect(engine.run(Self.path(x: 30, rows: [60, 80, 100, 120])).isEmpty)
    }

    @Test func crossingBackAndForthWithinTheCoolDownIsMerged() {
        var engine = Self.engine(.either, coolDown: 30)
        let (events, merges) = engine.runCollectingMerges(Self.path(rows: [70, 110, 70, 110]))
        #expect(events.count == 1)
        #expect(merges.map(\.repeats) == [1, 2])
    }
}
