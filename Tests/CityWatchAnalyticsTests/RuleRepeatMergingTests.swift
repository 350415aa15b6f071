import CityWatchAnalytics
import CityWatchDomain
import Testing

/// Repeats are merged per rule and object within the cool-down, whatever track id the object
/// has now: a person whose track split or was lost and found again raises one event, not one
/// per fragment; another person elsewhere still raises their own.
@Suite("Rules: repeats across track ids")
struct RuleRepeatMergingTests {
    typealias F = RuleFixtures

    /// A line across the picture at y = 0.5 (90 px), as in the line-crossing tests.
    static let gate = AnalyticsRule(name: "gate", kind: .lineCrossing(line: RuleLineCrossingTests.line, direction: .either), coolDownSeconds: 10)

    /// Track `id` crossing the line downwards at foot x = `x`, starting at `start` seconds.
    static func crossing(_ id: Int, x: Int, start: Double) -> [RuleFrame] {
        [70, 80, 100, 110].enumerated().map { index, row in
            RuleFrame(time: start + Double(index) * 0.2, tracks: [F.track(id, footX: x, footY: row)])
        }
    }

    @Test func aFragmentUnderANewTrackIdNearTheLastEventIsARepeat() {
        var engine = F.engine(Self.gate)
        // Track 1 crosses; in the same second its fragment (track 2, a few pixels off) crosses too,
        // then track 3 — the same person lost and found again — crosses back 4 s later.
        let frames = Self.crossing(1, x: 160, start: 0) + Self.crossing(2, x: 166, start: 0.8)
            + [110, 100, 80, 70].enumerated().map { RuleFrame(time: 4 + Double($0.offset) * 0.2, tracks: [F.track(3, footX: 170, footY: $0.element)]) }
        let (events, merges) = engine.runCollectingMerges(frames)
        #expect(events.count == 1)
        #expect(merges.map(\.eventSerial) == [1, 1])
        #expect(merges.map(\.repeats) == [1, 2])
        #expect(merges.map(\.trackIDs) == [[2], [3]])
    }

    @Test func anotherObjectFarAwayInTheCoolDownRaisesItsOwnEvent() {
        var engine = F.engine(Self.gate)
        let (events, merges) = engine.runCollectingMerges(Self.crossing(1, x: 80, start: 0) + Self.crossing(2, x: 260, start: 1))
        #expect(events.map(\.trackIDs) == [[1], [2]])
        #expect(merges.isEmpty)
    }

    @Test func aFragmentAfterTheCoolDownIsANewEvent() {
        var engine = F.engine(Self.gate)
        let (events, merges) = engine.runCollectingMerges(Self.crossing(1, x: 160, start: 0) + Self.crossing(2, x: 164, start: 11))
        #expect(events.count == 2 && merges.isEmpty)
    }

    @Test func mergingAcrossTracksCanBeTurnedOffToMeasureTheBaseline() {
        var tuning = RuleEngine.Tuning()
        tuning.mergesAcrossTracks = false
        var engine = RuleEngine(rules: [Self.gate], width: F.width, height: F.height, tuning: tuning)
        let (events, _) = engine.runCollectingMerges(Self.crossing(1, x: 160, start: 0) + Self.crossing(2, x: 166, start: 0.8))
        #expect(events.count == 2)
    }
}
