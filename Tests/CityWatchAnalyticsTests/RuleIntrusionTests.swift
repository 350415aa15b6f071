import CityWatchAnalytics
import CityWatchDomain
import Testing

@Suite("Rules: intrusion, schedules and filters")
struct RuleIntrusionTests {
    typealias F = RuleFixtures

    /// A person walking right 10 px a frame, 5 frames a second, from foot x = 105.
    static func walkRight(id: Int = 1, frames: Int = 12, objectClass: ObjectClass = .person, height: Int = 40,
                          weekday: Int = 3, minute: Int = 720) -> [RuleFrame] {
        (0..<frames).map { index in
            let time = Double(index) * 0.25
            return RuleFrame(time: time, tracks: [F.track(id, footX: 105 + 10 * index, footY: 150, height: height,
                                                          objectClass: objectClass, time: time)],
                             weekday: weekday, minute: minute)
        }
    }

    @Test func intrusionFiresOnTheFrameTheFootPointEntersTheZone() throws {
        var engine = F.engine(AnalyticsRule(name: "yard", kind: .intrusion(zone: F.rightHalf)))
        let frames = Self.walkRight()
        let events = engine.run(frames)
        // Foot x: 105, 115, …, 155 (frame 5), 165 (frame 6): in the zone from frame 6.
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.time == frames[6].time)
        #expect(event.trackIDs == [1])
        #expect(event.boxes == [frames[6].tracks[0].box])
        #expect(event.kind == "intrusion")
        #expect(event.ruleName == "yard")
        #expect(event.serial == 1)
    }

    /// A zone drawn to the picture's bottom edge holds an object cut off by that edge (its box
    /// ends on the last row, its foot at y = 1, which the boundary rule left outside, or past
    /// it), also
    /// when the hand stopped a little short of the edge; a zone's inner edges stay where drawn.
    @Test(arguments: [1.0, 0.99])
    func aZoneDrawnToTheBottomEdgeHoldsAnObjectCutOffByIt(bottom: Double) {
        var engine = F.engine(AnalyticsRule(name: "crossing", kind: .intrusion(zone: F.rectangle(0.2, 0.5, 0.8, bottom))))
        let events = engine.run([
            RuleFrame(time: 0, tracks: [F.track(3, footX: 160, footY: F.height, height: 30)]),
            RuleFrame(time: 0.2, tracks: [F.track(3, footX: 161, footY: F.height, height: 30)]),
        ])
        #expect(events.count == 1, "bottom at \(bottom)")
        // A box reaching past the bottom edge (held there by the tracker) stands on the last row.
        var past = F.engine(AnalyticsRule(name: "crossing", kind: .intrusion(zone: F.rectangle(0.2, 0.5, 0.8, bottom))))
        #expect(past.run([RuleFrame(time: 0, tracks: [F.track(5, footX: 160, footY: F.height + 12, height: 30)])]).count == 1)
        var above = F.engine(AnalyticsRule(name: "crossing", kind: .intrusion(zone: F.rectangle(0.2, 0.5, 0.8, bottom))))
        #expect(above.run([RuleFrame(time: 0, tracks: [F.track(4, footX: 160, footY: 89)])]).isEmpty,
                "a foot above the zone's drawn top is outside")
        #expect(above.run([RuleFrame(time: 0.2, tracks: [F.track(4, footX: 160, footY: 91)])]).count == 1)
    }

    @Test func intrusionOfATrackFirstSeenInsideFiresOnItsFirstFrame() {
        var engine = F.engine(AnalyticsRule(name: "yard", kind: .intrusion(zone: F.rightHalf)))
        let events = engine.run([
            RuleFrame(time: 0, tracks: []),
            RuleFrame(time: 0.5, tracks: [F.track(7, footX: 250, footY: 120)]),
            RuleFrame(time: 1.0, tracks: [F.track(7, footX: 252, footY: 120)]),
        ])
        #expect(events.map(\.time) == [0.5])
        #expect(events.map(\.trackIDs) == [[7]])
    }

    @Test func unconfirmedTrackInTheZoneRaisesNothingUntilConfirmed() {
        var engine = F.engine(AnalyticsRule(name: "yard", kind: .intrusion(zone: F.rightHalf)))
        let events = engine.run([
            RuleFrame(time: 0, tracks: [F.track(3, footX: 250, footY: 120, confirmed: false)]),
            RuleFrame(time: 0.5, tracks: [F.track(3, footX: 251, footY: 120, confirmed: false)]),
            RuleFrame(time: 1.0, tracks: [F.track(3, footX: 252, footY: 120)]),
        ])
        #expect(events.map(\.time) == [1.0])
    }

    @Test func intrusionOutsideTheScheduledHoursRaisesNothing() {
        let nights = WeeklySchedule(windows: [.init(days: [1, 2, 3, 4, 5], startMinute: 22 * 60, endMinute: 6 * 60)])
        var engine = F.engine(AnalyticsRule(name: "after hours", kind: .intrusion(zone: F.rightHalf), schedule: nights))
        #expect(engine.run(Self.walkRight(weekday: 3, minute: 14 * 60)).isEmpty)
        var armed = F.engine(AnalyticsRule(name: "after hours", kind: .intrusion(zone: F.rightHalf), schedule: nights))
        #expect(armed.run(Self.walkRight(id: 2, weekday: 3, minute: 23 * 60)).map(\.trackIDs) == [[2]])
    }

    @Test(arguments: [
        (weekday: 6, minute: 3 * 60, fires: true),    // Saturday 03:00, the morning after Friday's window
        (weekday: 5, minute: 23 * 60, fires: true),   // Friday 23:00
        (weekday: 6, minute: 7 * 60, fires: false),   // Saturday 07:00: the window has ended
        (weekday: 5, minute: 3 * 60, fires: false),   // Friday 03:00: Thursday has no window
        (weekday: 6, minute: 23 * 60, fires: false),  // Saturday 23:00: no window starts on Saturday
    ])
    func intrusionInAWindowPastMidnightFollowsTheWindowIntoTheNextDay(weekday: Int, minute: Int, fires: Bool) {
        let fridayNight = WeeklySchedule(windows: [.init(days: [5], startMinute: 22 * 60, endMinute: 6 * 60)])
        var engine = F.engine(AnalyticsRule(name: "friday night", kind: .intrusion(zone: F.rightHalf), schedule: fridayNight))
        #expect(engine.run(Self.walkRight(weekday: weekday, minute: minute)).count == (fires ? 1 : 0))
    }

    @Test func intrusionFiresWhenTheScheduleArmsWithSomeoneAlreadyInside() {
        let evenings = WeeklySchedule(windows: [.init(days: [3], startMinute: 22 * 60, endMinute: 23 * 60)])
        var engine = F.engine(AnalyticsRule(name: "closing", kind: .intrusion(zone: F.rightHalf), schedule: evenings))
        let events = engine.run([
            RuleFrame(time: 0, tracks: [F.track(1, footX: 250, footY: 120)], weekday: 3, minute: 21 * 60 + 59),
            RuleFrame(time: 30, tracks: [F.track(1, footX: 250, footY: 120)], weekday: 3, minute: 21 * 60 + 59),
            RuleFrame(time: 60, tracks: [F.track(1, footX: 250, footY: 120)], weekday: 3, minute: 22 * 60),
            RuleFrame(time: 90, tracks: [F.track(1, footX: 250, footY: 120)], weekday: 3, minute: 22 * 60),
        ])
        #expect(events.map(\.time) == [60])
    }

    @Test func classFilterIgnoresOtherClassesAndKeepsTheNamedOne() {
        let rule = AnalyticsRule(name: "no people", kind: .intrusion(zone: F.rightHalf), classes: [.person])
        var cars = F.engine(rule)
        #expect(cars.run(Self.walkRight(objectClass: .car)).isEmpty)
        var people = F.engine(rule)
        #expect(people.run(Self.walkRight(objectClass: .person)).count == 1)
    }

    @Test func objectsBelowTheMinimumHeightAreIgnored() {
        // 0.2 of 180 px = 36 px.
        let rule = AnalyticsRule(name: "big only", kind: .intrusion(zone: F.rightHalf), minimumHeight: 0.2)
        var small = F.engine(rule)
        #expect(small.run(Self.walkRight(height: 30)).isEmpty)
        var big = F.engine(rule)
        #expect(big.run(Self.walkRight(height: 40)).count == 1)
    }

    @Test func ruleWithAZoneOutsideThePictureIsListedAndTheOthersStillWork() throws {
        let outside = AnalyticsRule(name: "bad zone",
                                    kind: .intrusion(zone: ImagePolygon(points: [.init(x: 0.5, y: 0), .init(x: 1.2, y: 0), .init(x: 1, y: 1)])))
        let disabled = AnalyticsRule(name: "off", enabled: false, kind: .intrusion(zone: F.rightHalf))
        let good = AnalyticsRule(name: "good", kind: .intrusion(zone: F.rightHalf))
        var engine = F.engine(outside, disabled, good)
        let problem = try #require(engine.problems.first)
        #expect(engine.problems.count == 1)
        #expect(problem.rule.id == outside.id)
        #expect(problem.problem.field == "kind.zone")
        #expect(engine.rules.map(\.id) == [good.id])
        #expect(engine.run(Self.walkRight()).map(\.ruleID) == [good.id])
    }
}
