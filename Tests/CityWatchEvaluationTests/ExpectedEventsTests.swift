import CityWatchDomain
import CityWatchEvaluation
import CityWatchMedia
import Testing

/// Hand-made 100×100 scenes at 10 fps whose answers can be worked out on paper.
@Suite("Expected events from the ground truth")
struct ExpectedEventsTests {
    /// A 10×20 person (ground point as given) on a 100×100 frame at 10 fps.
    func person(_ id: Int, _ path: [(Double, Double, Double)], postures: [SceneObject.Posture] = [],
                objectClass: SceneObjectClass = .person, size: (Int, Int) = (10, 20), appear: Double? = nil) -> SceneObject {
        SceneObject(id: id, objectClass: objectClass, width: size.0, height: size.1, color: SceneColor(gray: 0),
                    path: path.map { .init(time: $0.0, x: $0.1, y: $0.2) }, appear: appear, postures: postures)
    }

    func expected(_ kind: AnalyticsRule.Kind, _ objects: [SceneObject], duration: Double = 10) -> [EventScore.Occurrence] {
        let scene = SyntheticScene(name: "hand", width: 100, height: 100, fps: 10, duration: duration, objects: objects)
        return ExpectedEvents.of(AnalyticsRule(name: "r", kind: kind), in: SyntheticGroundTruth(scene: scene))
    }

    let rightHalf = ImagePolygon(points: [.init(x: 0.5, y: 0), .init(x: 1, y: 0), .init(x: 1, y: 1), .init(x: 0.5, y: 1)])

    @Test func intrusionFiresWhenTheFootPointEntersWithTheBoxOfThatFrame() {
        // x goes 0 → 100 over 10 s: the foot point reaches x = 50 at 5 s.
        let events = expected(.intrusion(zone: rightHalf), [person(1, [(0, 0, 60), (10, 100, 60)])])
        #expect(events.count == 1)
        #expect(events.first?.time == 5)
        #expect(events.first?.box == PixelBox(x: 45, y: 40, width: 10, height: 20))
    }

    @Test func briefStepOutsideTheZoneDoesNotStartASecondStay() {
        // In at 5 s, out 6.0–6.5 s (under the one-second grace), then in again: one intrusion.
        let path: [(Double, Double, Double)] = [(0, 0, 60), (5, 50, 60), (5.9, 59, 60), (6, 40, 60), (6.5, 40, 60), (6.6, 60, 60)]
        #expect(expected(.intrusion(zone: rightHalf), [person(1, path)]).count == 1)
    }

    @Test func loiteringFiresWhenTheStayHasLastedTheRulesSeconds() {
        let path: [(Double, Double, Double)] = [(0, 40, 60), (1, 60, 60), (20, 60, 60)]
        let events = expected(.loitering(zone: rightHalf, seconds: 4), [person(1, path)], duration: 10)
        // Enters at 0.5 s (x = 50), due 4 s later.
        #expect(events.map(\.time) == [4.5])
        #expect(expected(.loitering(zone: rightHalf, seconds: 12), [person(1, path)], duration: 10).isEmpty)
    }

    @Test func lineCrossingCountsOnlyTheDirectionAskedAndOnlyWithinTheSegment() {
        // Drawn bottom to top at x = 50 from y = 100 to y = 40: its left is the screen's left.
        let line = ImageLine(start: .init(x: 0.5, y: 1), end: .init(x: 0.5, y: 0.4))
        let eastbound = person(1, [(0, 0, 80), (10, 100, 80)])
        let westbound = person(2, [(0, 100, 90), (10, 0, 90)])
        let above = person(3, [(0, 0, 30), (10, 100, 30)])   // passes the line's extension only
        let objects = [eastbound, westbound, above]
        #expect(expected(.lineCrossing(line: line, direction: .leftToRight), objects).map(\.time) == [5.1])
        #expect(expected(.lineCrossing(line: line, direction: .rightToLeft), objects).map(\.time) == [5.1])
        #expect(expected(.lineCrossing(line: line, direction: .either), objects).count == 2)
    }

    @Test func crowdingFiresOncePerSpellAboveTheCount() {
        let standers = (1...3).map { person($0, [(Double($0), 20 * Double($0), 60)], appear: Double($0)) }
        #expect(expected(.crowding(zone: .wholePicture, count: 2), standers).map(\.time) == [3])
        #expect(expected(.crowding(zone: .wholePicture, count: 3), standers).isEmpty)
    }

    @Test func anObjectIsLeftWhenTheBagHasBeenAloneAndStillForTheRulesSeconds() {
        // Carried beside its owner until 3 s, then left at x = 30 while the owner walks on;
        // the owner's box (x ± 5) stops touching the bag's (27…33, with a 2-pixel margin) at 3.2 s.
        let owner = person(1, [(0, 0, 60), (3, 38, 60), (8, 100, 60)])
        let bag = person(2, [(0, -8, 60), (3, 30, 60)], objectClass: .bag, size: (6, 6))
        let events = expected(.objectLeft(zone: .wholePicture, seconds: 2), [owner, bag])
        #expect(events.count == 1)
        #expect(events.first.map { abs($0.time - 5.2) < 1e-9 } == true)
        #expect(events.first?.box == PixelBox(x: 27, y: 54, width: 6, height: 6))
    }

    @Test func anAbandonedObjectIsDueWhenItsOwnerHasBeenOutOfReachForTheRulesSeconds() {
        // The same walk: the owner (20 px tall, 12.4 px/s; boxes on whole pixels) is more than
        // 1.5 heights (30 px) from the bag's foot from 4.9 s, so the bag is abandoned 2 s later.
        let owner = person(1, [(0, 0, 60), (3, 38, 60), (8, 100, 60)])
        let bag = person(2, [(0, -8, 60), (3, 30, 60)], objectClass: .bag, size: (6, 6))
        let events = expected(.abandonedObject(zone: .wholePicture, seconds: 2), [owner, bag])
        #expect(events.count == 1)
        #expect(events.first.map { abs($0.time - 6.9) < 1e-9 } == true, "\(events)")
        // A stranger standing by it from 5 s does not attend it; its owner coming back does.
        let stranger = person(3, [(5, 44, 60)], appear: 5)
        #expect(expected(.abandonedObject(zone: .wholePicture, seconds: 2), [owner, bag, stranger]).count == 1)
        let returning = person(1, [(0, 0, 60), (3, 38, 60), (5, 62, 60), (6, 40, 60)])
        #expect(expected(.abandonedObject(zone: .wholePicture, seconds: 2), [returning, bag]).isEmpty)
    }

    @Test func somethingStillFromTheFirstFrameIsNeverAbandoned() {
        let parked = person(1, [(0, 50, 60)], objectClass: .car, size: (30, 12))
        #expect(expected(.abandonedObject(zone: .wholePicture, seconds: 2), [parked]).isEmpty)
    }

    @Test func fallIsDueTheRulesSecondsAfterTheScriptedFallOnlyIfStillDown() {
        let down = person(1, [(0, 50, 60)], postures: [.fall(at: 2, width: 10, height: 20)])
        #expect(expected(.fall(zone: .wholePicture, seconds: 3), [down]).map(\.time) == [5])
        let getsUp = person(1, [(0, 50, 60)], postures: [.fall(at: 2, width: 10, height: 20), .init(time: 4, width: 10, height: 20)])
        #expect(expected(.fall(zone: .wholePicture, seconds: 3), [getsUp]).isEmpty)
    }
}
