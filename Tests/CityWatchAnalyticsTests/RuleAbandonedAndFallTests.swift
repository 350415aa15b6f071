import CityWatchAnalytics
import CityWatchDomain
import Testing

@Suite("Rules: abandoned objects and falls")
struct RuleAbandonedAndFallTests {
    typealias F = RuleFixtures

    @Test func objectLeftAfterTheStartFiresOnceWhenStillLongEnough() throws {
        var engine = F.engine(AnalyticsRule(name: "bag", kind: .objectLeft(zone: F.rightHalf, seconds: 10), classes: [.unknown]))
        var frames: [RuleFrame] = []
        for step in 0...40 {
            let time = Double(step) * 0.5
            // A bench, there from the first frame and always still; a bag set down at 4 s.
            var tracks = [F.track(1, footX: 200, footY: 100, width: 40, height: 12, objectClass: .unknown, time: time, stillSeconds: time)]
            if time >= 4 {
                tracks.append(F.track(2, footX: 260, footY: 150, width: 10, height: 8, objectClass: .unknown,
                                      firstSeen: 4, time: time, stillSeconds: time - 4))
            }
            frames.append(RuleFrame(time: time, tracks: tracks))
        }
        let events = engine.run(frames)
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.trackIDs == [2])
        #expect(event.time == 14)
        #expect(event.seconds == 10)
    }

    @Test func objectThatMovesAgainBeforeTheTimeRaisesNothing() {
        var engine = F.engine(AnalyticsRule(name: "bag", kind: .objectLeft(zone: F.rightHalf, seconds: 10)),
                              AnalyticsRule(name: "bag alone", kind: .abandonedObject(zone: F.rightHalf, seconds: 10)))
        let frames = stride(from: 0.0, through: 30, by: 1).map { time in
            RuleFrame(time: time, tracks: time < 2 ? [] : [F.track(2, footX: 260, footY: 150, firstSeen: 2, time: time,
                                                                 stillSeconds: Double(Int(time) % 8))])
        }
        #expect(engine.run(frames).isEmpty)
    }

    // MARK: Attended and unattended

    /// A bag (10 × 8) set down at 4 s at (260, 150) by a person (12 × 40) who brought it in and
    /// then stands `standOff` pixels to its right until `leavesAt`, when they walk right at
    /// 40 px/s; `stranger` adds a person standing beside the bag from 12 s, who brought nothing.
    static func bagFrames(standOff: Int = 15, leavesAt: Double, until: Double = 40, stranger: Bool = false,
                          objectClass: ObjectClass = .unknown, personClass: ObjectClass = .person) -> [RuleFrame] {
        stride(from: 0.0, through: until, by: 0.5).map { time in
            var tracks: [TrackedObject] = []
            let walked = time < 4 ? -Int((4 - time) * 40) : time < leavesAt ? standOff : standOff + Int((time - leavesAt) * 40)
            if 260 + walked < 330 {
                tracks.append(F.track(1, footX: 260 + walked, footY: 152, objectClass: personClass, firstSeen: 0, time: time))
            }
            if time >= 4 {
                tracks.append(F.track(2, footX: 260, footY: 150, width: 10, height: 8, objectClass: objectClass,
                                      firstSeen: 4, time: time, stillSeconds: time - 4))
            }
            if stranger, time >= 12 {
                tracks.append(F.track(3, footX: 248, footY: 151, objectClass: personClass, firstSeen: 12, time: time, stillSeconds: time - 12))
            }
            return RuleFrame(time: time, tracks: tracks)
        }
    }

    static func leftAndAbandoned(seconds: Double = 5) -> RuleEngine {
        F.engine(AnalyticsRule(name: "left", kind: .objectLeft(zone: F.rightHalf, seconds: seconds), coolDownSeconds: 0),
                 AnalyticsRule(name: "abandoned", kind: .abandonedObject(zone: F.rightHalf, seconds: seconds), coolDownSeconds: 0))
    }

    @Test func aBagWhoseOwnerStandsBesideItIsLeftButNotAbandoned() {
        var engine = Self.leftAndAbandoned()
        let events = engine.run(Self.bagFrames(leavesAt: 100))
        #expect(events.map(\.ruleName) == ["left"])
        #expect(events.first?.trackIDs == [2])
        #expect(events.first?.time == 9)
    }

    @Test func aBagIsAbandonedOnceItsOwnerHasBeenOutOfReachForTheRulesSeconds() throws {
        var engine = Self.leftAndAbandoned()
        let events = engine.run(Self.bagFrames(leavesAt: 12))
        #expect(events.map(\.ruleName) == ["left", "abandoned"])
        let abandoned = try #require(events.last)
        // Out of reach (1.5 × 40 px = 60 px foot to foot) at 13.5 s: 15 + 1.5 × 40 = 75 px away.
        #expect(abandoned.trackIDs == [2])
        #expect(abandoned.time == 18.5)
        #expect(abandoned.seconds == 5)
    }

    @Test func aStrangerStandingBesideABagDoesNotAttendIt() {
        var engine = Self.leftAndAbandoned()
        let events = engine.run(Self.bagFrames(leavesAt: 12, stranger: true))
        #expect(events.map(\.ruleName) == ["left", "abandoned"])
        #expect(events.last?.time == 18.5)
    }

    @Test func aBagNobodyWasSeenBringingIsAttendedByAnyoneNearIt() {
        // The carrier was never tracked (the bag appears on its own), then a person stands by it.
        var engine = Self.leftAndAbandoned()
        let frames = Self.bagFrames(leavesAt: 100).map { frame in
            RuleFrame(time: frame.time, tracks: frame.tracks.filter { $0.id != 1 || frame.time >= 6 })
        }
        let events = engine.run(frames)
        // Alone from 4.5 s, attended from 6 s: abandoned never, left at 9 s.
        #expect(events.map(\.ruleName) == ["left"])
    }

    @Test func detectorLedAPersonIsNeverTheObjectAndAnUnnamedUprightShapeAttendsNothing() {
        var tuning = RuleEngine.Tuning()
        tuning.requiresClass = true
        var engine = RuleEngine(rules: [AnalyticsRule(name: "abandoned", kind: .abandonedObject(zone: F.rightHalf, seconds: 5), coolDownSeconds: 0)],
                                width: F.width, height: F.height, tuning: tuning)
        // The owner is unnamed by the detector: standing by the bag does not attend it.
        let events = engine.run(Self.bagFrames(leavesAt: 100, personClass: .unknown))
        #expect(events.count == 1)
        #expect(events.first?.time == 9.5)
        // Motion-only, the same upright shape is taken for a person and attends it.
        var motionOnly = Self.leftAndAbandoned()
        #expect(motionOnly.run(Self.bagFrames(leavesAt: 100, personClass: .unknown)).map(\.ruleName) == ["left"])
    }

    /// A person standing (12 × 40) until `fallAt`, then lying (40 × 12) until `getsUpAt`;
    /// `between` seconds of a squat (24 × 24) in between.
    static func fallFrames(fallAt: Double = 3, between: Double = 0, getsUpAt: Double = 100, until: Double = 12,
                           objectClass: ObjectClass = .person) -> [RuleFrame] {
        stride(from: 0.0, through: until, by: 0.5).map { time in
            let size = time < fallAt ? (12, 40) : time < fallAt + between ? (24, 24) : time < getsUpAt ? (40, 12) : (12, 40)
            return RuleFrame(time: time, tracks: [F.track(1, footX: 240, footY: 150, width: size.0, height: size.1,
                                                          objectClass: objectClass, time: time)])
        }
    }

    static let fallRule = AnalyticsRule(name: "fall", kind: .fall(zone: F.rightHalf, seconds: 3))

    @Test func quickDropThatStaysDownIsAFall() throws {
        var engine = F.engine(Self.fallRule)
        let events = engine.run(Self.fallFrames(fallAt: 3))
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.time == 6)
        #expect(event.seconds == 3)
        #expect(event.boxes == [PixelBox(x: 220, y: 138, width: 40, height: 12)])
    }

    @Test func slowLyingDownIsNoFall() {
        var engine = F.engine(Self.fallRule)
        #expect(engine.run(Self.fallFrames(fallAt: 3, between: 3)).isEmpty)
    }

    @Test func gettingUpBeforeTheSecondsIsNoFall() {
        var engine = F.engine(Self.fallRule)
        #expect(engine.run(Self.fallFrames(fallAt: 3, getsUpAt: 5)).isEmpty)
    }

    @Test func lyingCarIsNoFall() {
        var engine = F.engine(Self.fallRule)
        #expect(engine.run(Self.fallFrames(objectClass: .car)).isEmpty)
    }

    @Test func fallAfterGettingUpIsASecondFallWhenTheCoolDownIsOver() {
        var engine = F.engine(AnalyticsRule(name: "fall", kind: .fall(zone: F.rightHalf, seconds: 3), coolDownSeconds: 0))
        var frames = Self.fallFrames(fallAt: 3, getsUpAt: 8, until: 10)
        frames += Self.fallFrames(fallAt: 3, until: 10).map { RuleFrame(time: $0.time + 10.5, tracks: $0.tracks) }
        #expect(engine.run(frames).map(\.time) == [6, 16.5])
    }
}
