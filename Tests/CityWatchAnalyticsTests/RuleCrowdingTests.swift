import CityWatchAnalytics
import CityWatchDomain
import Testing

@Suite("Rules: crowding")
struct RuleCrowdingTests {
    typealias F = RuleFixtures

    /// `inside` people in the right half (ids 1…) and two outside (ids 101, 102) at `time`.
    static func frame(_ time: Double, inside: Int) -> RuleFrame {
        var tracks = (0..<inside).map { F.track($0 + 1, footX: 170 + 15 * $0, footY: 120) }
        tracks += [F.track(101, footX: 40, footY: 120), F.track(102, footX: 60, footY: 130)]
        return RuleFrame(time: time, tracks: tracks)
    }

    static func rule(coolDown: Double) -> AnalyticsRule {
        AnalyticsRule(name: "square", kind: .crowding(zone: F.rightHalf, count: 2), coolDownSeconds: coolDown)
    }

    @Test func crowdFiresOnceWhenMoreThanCountAreInTheZone() throws {
        var engine = F.engine(Self.rule(coolDown: 0))
        let events = engine.run([Self.frame(0, inside: 2), Self.frame(1, inside: 3), Self.frame(2, inside: 4), Self.frame(3, inside: 3)])
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.time == 1)
        #expect(event.count == 3)
        #expect(event.trackIDs == [1, 2, 3])
        #expect(event.boxes.count == 3)
    }

    @Test func crowdEpisodeReArmsWhenTheCountHasDroppedForMoreThanASecond() {
        var engine = F.engine(Self.rule(coolDown: 0))
        let events = engine.run([Self.frame(0, inside: 3), Self.frame(1, inside: 3), Self.frame(2, inside: 2), Self.frame(2.5, inside: 2),
                                 Self.frame(3, inside: 3)])
        #expect(events.map(\.time) == [0, 3])
    }

    @Test func aCrowdThinnedForAMomentIsStillTheSameCrowd() {
        // Someone unseen for two frames at 5 fps (or a foot jittering over the zone's edge): one
        // crowd, one event; thinned for 1.2 s it is over, and the next is a crowd of its own.
        var engine = F.engine(Self.rule(coolDown: 0))
        let counts = [3, 3, 2, 2, 3, 3, 2, 2, 2, 2, 2, 2, 2, 3]
        let frames = counts.enumerated().map { Self.frame(Double($0.offset) * 0.2, inside: $0.element) }
        #expect(engine.run(frames).map(\.time) == [0, 13 * 0.2])
    }

    @Test func newCrowdWithinTheCoolDownIsMerged() {
        var engine = F.engine(Self.rule(coolDown: 10))
        let (events, merges) = engine.runCollectingMerges([
            Self.frame(0, inside: 3), Self.frame(1, inside: 1), Self.frame(1.5, inside: 1), Self.frame(2, inside: 3), Self.frame(3, inside: 3),
            Self.frame(11, inside: 0), Self.frame(12, inside: 5),
        ])
        #expect(events.map(\.time) == [0, 12])
        #expect(merges.map(\.time) == [2])
        #expect(merges.map(\.eventSerial) == [1])
    }

    @Test func crowdCountsOnlyMatchingClasses() {
        var engine = F.engine(AnalyticsRule(name: "cars", kind: .crowding(zone: F.rightHalf, count: 1), classes: [.car]))
        let tracks = [F.track(1, footX: 200, footY: 120, objectClass: .car), F.track(2, footX: 230, footY: 120),
                      F.track(3, footX: 260, footY: 120)]
        #expect(engine.run([RuleFrame(time: 0, tracks: tracks)]).isEmpty)
    }
}
