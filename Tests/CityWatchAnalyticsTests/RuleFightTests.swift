import CityWatchAnalytics
import CityWatchDomain
import Testing

private typealias F = RuleFixtures

/// The fight rule: persons close together, staying in place, with violent motion between them.
@Suite("Fight rule")
struct RuleFightTests {
    static let rule = AnalyticsRule(name: "fight", kind: .fight(zone: F.rectangle(0, 0, 1, 1), seconds: 1), coolDownSeconds: 0)

    static func person(_ id: Int, x: Int, velocityX: Double = 0, time: Double) -> TrackedObject {
        var track = F.track(id, footX: x, footY: 150, width: 20, height: 60, objectClass: .person, time: time)
        track.velocityX = velocityX
        return track
    }

    /// Runs 3 s at 5 fps with `tracks` at each time and every box's activity `activity`.
    static func run(_ engine: inout RuleEngine, activity: Double?, tracks: (Double) -> [TrackedObject]) -> [RuleEvent] {
        var events: [RuleEvent] = []
        for step in 0...15 {
            let time = Double(step) / 5
            events += engine.evaluate(tracks: tracks(time), time: time, weekday: 3, minute: 720, activity: activity.map { value in { _ in value } })
        }
        return events
    }

    @Test func twoPeopleInPlaceWithViolentMotionAreOneFightAfterTheSeconds() throws {
        var engine = F.engine(Self.rule)
        let events = Self.run(&engine, activity: 0.5) { time in [Self.person(1, x: 150, time: time), Self.person(2, x: 172, time: time)] }
        let fight = try #require(events.first)
        #expect(events.count == 1, "one event per episode")
        #expect(fight.kind == "fight" && fight.time == 1 && Set(fight.trackIDs) == [1, 2])
    }

    @Test func walkersSideBySideFarApartOrCalmAreNoFight() {
        var walking = F.engine(Self.rule)
        #expect(Self.run(&walking, activity: 0.5) { time in
            [Self.person(1, x: 100 + Int(time * 60), velocityX: 60, time: time), Self.person(2, x: 122 + Int(time * 60), velocityX: 60, time: time)]
        }.isEmpty, "a pair moving a height a second is walking")
        // Between the pair's threshold and a lone person's: only persons close together fight.
        var apart = F.engine(Self.rule)
        #expect(Self.run(&apart, activity: 0.25) { time in [Self.person(1, x: 60, time: time), Self.person(2, x: 260, time: time)] }.isEmpty)
        var calm = F.engine(Self.rule)
        #expect(Self.run(&calm, activity: 0.1) { time in [Self.person(1, x: 150, time: time), Self.person(2, x: 172, time: time)] }.isEmpty)
        var unmeasured = F.engine(Self.rule)
        #expect(Self.run(&unmeasured, activity: nil) { time in [Self.person(1, x: 150, time: time), Self.person(2, x: 172, time: time)] }.isEmpty)
    }

    @Test func aPairIsJudgedOnlyOnceBothWerePersonsTheFrameBefore() throws {
        // Between the pair's threshold and a lone person's, so only the pair path can fire.
        var steady = F.engine(Self.rule)
        let events = Self.run(&steady, activity: 0.25) { time in [Self.person(1, x: 150, time: time), Self.person(2, x: 172, time: time)] }
        let fight = try #require(events.first)
        #expect(events.count == 1 && fight.time == 1.2, "judged from the second frame on, raised a second later")
        // Beside person 1, a track confirmed anew every frame (a fragment, a box found again):
        // never a person of the frame before, never half of a fighting pair.
        var flicker = F.engine(Self.rule)
        #expect(Self.run(&flicker, activity: 0.25) { time in
            [Self.person(1, x: 150, time: time), Self.person(100 + Int((time * 5).rounded()), x: 172, time: time)]
        }.isEmpty)
    }

    @Test func twoPeopleSeenAsOneBoxFightWhenTheirSurroundingsChurnMore() {
        var churning = F.engine(Self.rule)
        #expect(Self.run(&churning, activity: 0.4) { time in [Self.person(1, x: 150, time: time)] }.count == 1)
        var lively = F.engine(Self.rule)
        #expect(Self.run(&lively, activity: 0.25) { time in [Self.person(1, x: 150, time: time)] }.isEmpty,
                "one person moving as much as a fighting pair is not a fight")
    }

    @Test func personsHeldWhereTheTrackerLastHadThemAreNoFight() {
        // The same pair, last seen 0.4 s before each frame (held between looks, or while the
        // background is learnt): whatever changes inside their boxes, nothing is measured of them.
        var held = F.engine(Self.rule)
        #expect(Self.run(&held, activity: 0.5) { time in
            [Self.person(1, x: 150, time: time), Self.person(2, x: 172, time: time)].map { track in
                var track = track
                track.lastSeen = time - 0.4
                return track
            }
        }.isEmpty)
    }

    @Test func aCameraWithAFightRuleIsLookedAtEveryFrameWhileTheBackgroundIsLearnt() {
        func looks(_ rule: AnalyticsRule) -> [Double] {
            var analyzer = CameraAnalyzer(width: 320, height: 180, settings: CameraAnalyticsSettings(rules: [rule]),
                                          detection: DetectionSchedule())
            var times: [Double] = []
            let pixels = [UInt8](repeating: 90, count: 320 * 180 * 3 / 2)
            for step in 0..<8 {
                let time = Double(step) / 5
                let region = analyzer.detectionRegion(time: time)
                let look = region.map { region in
                    DetectorLook(region: region, time: time, objects: [DetectedObject(objectClass: .person, confidence: 0.9,
                                                                                      box: PixelBox(x: 140, y: 80, width: 20, height: 60))])
                }
                if region != nil { times.append(time) }
                _ = analyzer.process(yuv: pixels, time: time, weekday: 3, minute: 720, look: look)
            }
            return times
        }
        #expect(looks(Self.rule).count == 8, "every frame of the warm-up")
        let gate = AnalyticsRule(name: "gate", kind: .intrusion(zone: F.rectangle(0, 0, 1, 1)))
        #expect(looks(gate) == [0, 1], "once a second, as after the warm-up")
    }

    @Test func theAnalyzerMeasuresTheChangeBetweenFrames() throws {
        // Two persons the detector finds, standing together; their box flickers every frame.
        var analyzer = CameraAnalyzer(width: 320, height: 180, settings: CameraAnalyticsSettings(rules: [Self.rule]),
                                      detection: DetectionSchedule())
        let pair = [PixelBox(x: 140, y: 80, width: 20, height: 60), PixelBox(x: 162, y: 80, width: 20, height: 60)]
        var events: [RuleEvent] = []
        for step in 0..<12 {
            let time = Double(step) / 5
            var pixels = [UInt8](repeating: 90, count: 320 * 180)
            for row in 80..<140 { for column in 140..<182 where (row + column + step) % 2 == 0 { pixels[row * 320 + column] = 220 } }
            let look = analyzer.detectionRegion(time: time).map { region in
                DetectorLook(region: region, time: time, objects: pair.map { DetectedObject(objectClass: .person, confidence: 0.9, box: $0) })
            }
            events += analyzer.process(yuv: pixels, time: time, weekday: 3, minute: 720, look: look).events
        }
        #expect(events.map(\.kind) == ["fight"])
    }
}
