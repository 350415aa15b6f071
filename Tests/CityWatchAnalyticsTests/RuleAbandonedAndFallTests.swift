import CityWatchAnalytics
import CityWatchDomain
import Testing

@Suite("Rules: abandoned objects and falls")
struct RuleAbandonedAndFallTests {
    typealias F = RuleFixtures

    @Test func objectLeftAfterTheStartFiresOnceWhenStillLongEnough() throws {
        var engine = F.engine(AnalyticsRule(name: "bag", kind: .abandonedObject(zone: F.rightHalf, seconds: 10), classes: [.unknown]))
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
        var engine = F.engine(AnalyticsRule(name: "bag", kind: .abandonedObject(zone: F.rightHalf, seconds: 10)))
        let frames = stride(from: 0.0, through: 30, by: 1).map { time in
            RuleFrame(time: time, tracks: time < 2 ? [] : [F.track(2, footX: 260, footY: 150, firstSeen: 2, time: time,
                                                                 stillSeconds: Double(Int(time) % 8))])
        }
        #expect(engine.run(frames).isEmpty)
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
