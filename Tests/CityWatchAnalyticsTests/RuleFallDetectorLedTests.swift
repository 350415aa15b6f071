import CityWatchAnalytics
import CityWatchDomain
import Testing

private typealias F = RuleFixtures

/// The fall rule as real falls showed it must be (issue 14): down by height as well as by
/// shape, a sitting-up after the fall no second fall, and, detector-led, persons only — but the
/// body of a person going down counts when it is tracked anew.
@Suite("Fall rule on real-footage shapes")
struct RuleFallDetectorLedTests {
    static let rule = AnalyticsRule(name: "fall", kind: .fall(zone: F.rectangle(0, 0, 1, 1), seconds: 1), coolDownSeconds: 0)

    static func detectorLed() -> RuleEngine {
        var tuning = RuleEngine.Tuning()
        tuning.requiresClass = true
        return RuleEngine(rules: [rule], width: F.width, height: F.height, tuning: tuning)
    }

    /// A person `width` × `height` with the foot at the picture's bottom middle.
    static func person(_ id: Int, _ width: Int, _ height: Int, time: Double, objectClass: ObjectClass = .person) -> TrackedObject {
        F.track(id, footX: 160, footY: 179, width: width, height: height, objectClass: objectClass, time: time)
    }

    @Test func aPersonFallenTowardTheCameraIsDownByHeightThoughNotWide() throws {
        // Upright 40 × 160, then 45 × 60: not wider than tall, but under half the height stood at.
        var engine = F.engine(Self.rule)
        let frames = stride(from: 0.0, through: 4, by: 0.5).map { time in
            RuleFrame(time: time, tracks: [time < 1.5 ? Self.person(1, 40, 160, time: time) : Self.person(1, 45, 60, time: time)])
        }
        let events = engine.run(frames)
        #expect(events.map(\.time) == [2.5])
        // Bending to three quarters of the height (90 × 120, neither upright nor wide) is not down.
        var crouching = F.engine(Self.rule)
        #expect(crouching.run(stride(from: 0.0, through: 4, by: 0.5).map { time in
            RuleFrame(time: time, tracks: [time < 1.5 ? Self.person(1, 40, 160, time: time) : Self.person(1, 90, 120, time: time)])
        }).isEmpty)
    }

    @Test func aPersonLyingWithTheirBoxPastThePicturesBottomEdgeHasFallen() throws {
        // GMDCSA24 Subject 2 Fall 12: fallen backwards, cut by the left and bottom edges, the
        // box the tracker holds reaching 10–25 px below the last row. The foot point is taken on
        // the picture, so the zone drawn to the edges holds the person.
        var engine = Self.detectorLed()
        let frames = stride(from: 0.0, through: 3, by: 0.2).map { time -> RuleFrame in
            if time < 1 { return RuleFrame(time: time, tracks: [Self.person(1, 40, 160, time: time)]) }
            let below = 10 + Int(time * 5)
            return RuleFrame(time: time, tracks: [F.track(1, footX: 20, footY: F.height + below, width: 146, height: 110,
                                                          objectClass: .person, time: time)])
        }
        let events = engine.run(frames)
        let fall = try #require(events.first)
        #expect(events.count == 1 && abs(fall.time - 2) < 0.01, "\(events.map(\.time))")
    }

    @Test func sittingUpAfterAFallIsNotASecondFall() {
        var engine = F.engine(Self.rule)
        // Stands 40 × 160, falls (80 × 40), sits up (30 × 60: upright in shape, far from standing), lies again.
        let frames = stride(from: 0.0, through: 8, by: 0.5).map { time -> RuleFrame in
            let size = time < 1 ? (40, 160) : time < 3 ? (80, 40) : time < 4 ? (30, 60) : (80, 40)
            return RuleFrame(time: time, tracks: [Self.person(1, size.0, size.1, time: time)])
        }
        #expect(engine.run(frames).map(\.time) == [2])
    }

    @Test func detectorLedAnUnnamedObjectFallsOnlyAsTheBodyOfAPersonGoingDown() {
        // The person's track is lost as they go down; their body is tracked anew, unnamed.
        var engine = Self.detectorLed()
        var frames = stride(from: 0.0, through: 1, by: 0.5).map { time in
            RuleFrame(time: time, tracks: [Self.person(1, 40, 160, time: time)])
        }
        frames += stride(from: 1.5, through: 4, by: 0.5).map { time in
            RuleFrame(time: time, tracks: [F.track(2, footX: 170, footY: 179, width: 70, height: 40, objectClass: .unknown, time: time)])
        }
        #expect(engine.run(frames).map(\.trackIDs) == [[2]])

        // A hand-sized unnamed blob over the same person is no body; nor is a wide unnamed
        // object with no person about.
        var small = Self.detectorLed()
        var handFrames = Array(frames.prefix(3))
        handFrames += stride(from: 1.5, through: 4, by: 0.5).map { time in
            RuleFrame(time: time, tracks: [F.track(3, footX: 170, footY: 179, width: 14, height: 8, objectClass: .unknown, time: time)])
        }
        #expect(small.run(handFrames).isEmpty)
        var alone = Self.detectorLed()
        #expect(alone.run(frames.filter { $0.time >= 1.5 }).isEmpty)
    }

    @Test func thePersonAndTheirBodyTrackedAnewBothDownAreOneFall() {
        // The person's track goes down and stays (lying 140 × 100); their lower body, tracked
        // anew over them, goes down a frame later: one fall, whatever the cool-down (none here).
        var engine = Self.detectorLed()
        let frames = stride(from: 0.0, through: 4, by: 0.5).map { time -> RuleFrame in
            if time < 1 { return RuleFrame(time: time, tracks: [Self.person(1, 40, 160, time: time)]) }
            var tracks = [Self.person(1, 140, 100, time: time)]
            if time >= 1.5 {
                tracks.append(F.track(2, footX: 190, footY: 179, width: 70, height: 60, objectClass: .unknown, firstSeen: 1.5, time: time))
            }
            return RuleFrame(time: time, tracks: tracks)
        }
        let events = engine.run(frames)
        #expect(events.map(\.trackIDs) == [[1]], "\(events)")
        // Someone falling across the room moments later is a fall of their own.
        var two = Self.detectorLed()
        let apart = frames.map { frame -> RuleFrame in
            var frame = frame
            frame.tracks.append(frame.time < 1.5 ? F.track(3, footX: 20, footY: 60, width: 12, height: 50, time: frame.time)
                                                 : F.track(3, footX: 30, footY: 60, width: 40, height: 14, time: frame.time))
            return frame
        }
        #expect(two.run(apart).map(\.trackIDs).sorted { $0[0] < $1[0] } == [[1], [3]])
    }
}
