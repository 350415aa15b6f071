@testable import CityWatchAnalytics
import CityWatchDomain
import Testing

@Suite("Rules: loitering and cool-down")
struct RuleLoiteringTests {
    typealias F = RuleFixtures

    /// Track 1 every half second from 0 to `until`; inside the zone when `inside(time)`.
    static func frames(until: Double, inside: (Double) -> Bool) -> [RuleFrame] {
        stride(from: 0.0, through: until, by: 0.5).map { time in
            RuleFrame(time: time, tracks: [F.track(1, footX: inside(time) ? 250 : 60, footY: 120, time: time)])
        }
    }

    @Test func loiteringFiresExactlyWhenTheStayReachesItsSeconds() throws {
        var engine = F.engine(AnalyticsRule(name: "linger", kind: .loitering(zone: F.rightHalf, seconds: 5)))
        let events = engine.run(Self.frames(until: 20) { $0 >= 1 })
        let event = try #require(events.first)
        #expect(events.count == 1)   // once per stay, though it goes on to 20 s
        #expect(event.time == 6)
        #expect(event.seconds == 5)
        #expect(event.kind == "loitering")
    }

    @Test func loiteringStaySurvivesOneFrameOutsideOnTheEdge() {
        var engine = F.engine(AnalyticsRule(name: "linger", kind: .loitering(zone: F.rightHalf, seconds: 5)))
        let events = engine.run(Self.frames(until: 10) { $0 >= 1 && $0 != 3 })
        #expect(events.map(\.time) == [6])
    }

    @Test func loiteringStayEndsWhenTheObjectLeavesAndStartsAgainOnReturn() {
        var engine = F.engine(AnalyticsRule(name: "linger", kind: .loitering(zone: F.rightHalf, seconds: 5), coolDownSeconds: 0))
        // In 0…4 (too short), out 4.5…7, back from 7.5: the new stay reaches 5 s at 12.5.
        let events = engine.run(Self.frames(until: 15) { $0 <= 4 || $0 >= 7.5 })
        #expect(events.map(\.time) == [12.5])
    }

    /// A person standing in the zone from 1 s whose track is lost at 3.5 s and found again as
    /// track 2 at 4 s, `shift` pixels away; someone else, track 3, arrives at 4 s 120 px off.
    static func handOverFrames(shift: Int, gap: Double = 0.5) -> [RuleFrame] {
        stride(from: 0.0, through: 12, by: 0.5).map { time in
            var tracks: [TrackedObject] = []
            if time >= 1, time <= 3.5 { tracks.append(F.track(1, footX: 250, footY: 120, firstSeen: 1, time: time)) }
            if time >= 3.5 + gap { tracks.append(F.track(2, footX: 250 + shift, footY: 120, firstSeen: 3.5 + gap, time: time)) }
            if time >= 4 { tracks.append(F.track(3, footX: 290, footY: 40, firstSeen: 4, time: time)) }
            return RuleFrame(time: time, tracks: tracks)
        }
    }

    @Test func aStayCarriesOnWhenThePersonsTrackIsLostAndFoundAgainNearby() {
        let rule = AnalyticsRule(name: "linger", kind: .loitering(zone: F.rightHalf, seconds: 5), coolDownSeconds: 0)
        var engine = F.engine(rule)
        // One event for the person, at 6 s (5 s after they came), not at 9 s under track 2;
        // track 3 raises its own at 9 s.
        let events = engine.run(Self.handOverFrames(shift: 10))
        #expect(events.map(\.time) == [6, 9])
        #expect(events.map(\.trackIDs) == [[2], [3]])
        // Found again farther than their height (40 px) away: someone else, a stay of its own.
        var far = F.engine(rule)
        #expect(far.run(Self.handOverFrames(shift: 45)).map(\.time) == [9, 9])
        // Found again after more than a second: too late to be the same stay.
        var late = F.engine(rule)
        #expect(late.run(Self.handOverFrames(shift: 10, gap: 1.5)).map(\.time) == [9, 10])
    }

    @Test func aPersonWhoLeftThroughThePicturesEdgeHandsTheirStayToNobody() {
        // Track 1 stands at the right edge of the zone (its box touching the picture's edge,
        // 320 px) from 1 s and leaves the picture at 4 s; 0.5 s later someone else walks in
        // there (track 2) and stays 3 s. Neither stayed 5 s: no event. The same two lost and
        // found 14 px inside the edge is one person (the stay carries on, an event at 6 s).
        let rule = AnalyticsRule(name: "linger", kind: .loitering(zone: F.rightHalf, seconds: 5), coolDownSeconds: 0)
        func frames(footX: Int) -> [RuleFrame] {
            stride(from: 0.0, through: 7.5, by: 0.5).map { time in
                var tracks: [TrackedObject] = []
                if time >= 1, time <= 4 { tracks.append(F.track(1, footX: footX, footY: 120, firstSeen: 1, time: time)) }
                if time >= 4.5 { tracks.append(F.track(2, footX: footX, footY: 120, firstSeen: 4.5, time: time)) }
                return RuleFrame(time: time, tracks: tracks)
            }
        }
        var atEdge = F.engine(rule)
        #expect(atEdge.run(frames(footX: F.width - 6)).isEmpty)   // its box (12 px wide) reaches x = 320
        var inside = F.engine(rule)
        #expect(inside.run(frames(footX: F.width - 20)).map(\.time) == [6])
    }

    @Test func repeatWithinTheCoolDownIsMergedIntoTheFirstEvent() throws {
        var engine = F.engine(AnalyticsRule(name: "yard", kind: .intrusion(zone: F.rightHalf), coolDownSeconds: 10))
        // Enters at 0, out 2…4.5, back at 5 (merged), out 7…11.5, back at 12 (cool-down over: new event).
        let (events, merges) = engine.runCollectingMerges(Self.frames(until: 14) { $0 < 2 || (5...6.5).contains($0) || $0 >= 12 })
        #expect(events.map(\.time) == [0, 12])
        #expect(events.map(\.serial) == [1, 2])
        let merge = try #require(merges.first)
        #expect(merges.count == 1)
        #expect(merge.eventSerial == 1)
        #expect(merge.time == 5)
        #expect(merge.repeats == 1)
        #expect(merge.trackIDs == [1])
    }

    @Test func coolDownIsPerTrack() {
        var engine = F.engine(AnalyticsRule(name: "yard", kind: .intrusion(zone: F.rightHalf), coolDownSeconds: 60))
        let events = engine.run([
            RuleFrame(time: 0, tracks: [F.track(1, footX: 250, footY: 120)]),
            RuleFrame(time: 1, tracks: [F.track(1, footX: 250, footY: 120), F.track(2, footX: 200, footY: 100)]),
        ])
        #expect(events.map(\.trackIDs) == [[1], [2]])
    }

    @Test func vanishedTrackIsForgotten() {
        var engine = F.engine(AnalyticsRule(name: "linger", kind: .loitering(zone: F.rightHalf, seconds: 5)))
        _ = engine.run(Self.frames(until: 3) { _ in true })
        #expect(engine.memories[0].tracks.keys.sorted() == [1])
        _ = engine.evaluate(tracks: [F.track(2, footX: 40, footY: 100)], time: 3.5, weekday: 3, minute: 720)
        #expect(engine.memories[0].tracks.keys.sorted() == [2])
    }
}
