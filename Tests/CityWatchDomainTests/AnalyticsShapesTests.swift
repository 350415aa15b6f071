import CityWatchDomain
import Foundation
import PropertyBased
import Testing

@Suite("Analytics shapes, schedules and rules")
struct AnalyticsShapesTests {
    static func polygon(_ points: (Double, Double)...) -> ImagePolygon {
        ImagePolygon(points: points.map { ImagePoint(x: $0.0, y: $0.1) })
    }

    // MARK: - Zones

    @Test func zoneWithFewerThanThreePointsIsRefused() {
        #expect(throws: ImageShapeError.tooFewPoints(count: 2)) { try Self.polygon((0, 0), (1, 1)).validated() }
    }

    @Test func zoneWithAPointOffThePictureNamesThePoint() {
        #expect(throws: ImageShapeError.pointOutsidePicture(index: 1, x: 1.2, y: 0)) {
            try Self.polygon((0, 0), (1.2, 0), (1, 1)).validated()
        }
        #expect(throws: ImageShapeError.self) { try Self.polygon((0, 0), (.nan, 0), (1, 1)).validated() }
    }

    @Test func bowTieZoneIsSelfIntersecting() {
        // Edges 2 ((1,0)→(0,1)) and 4 ((1,1)→(0,0)) cross in the middle.
        #expect(throws: ImageShapeError.selfIntersecting(edge: 1, otherEdge: 3)) {
            try Self.polygon((0, 0), (1, 0), (0, 1), (1, 1)).validated()
        }
    }

    @Test func zoneOnOneLineHasNoArea() {
        #expect(throws: ImageShapeError.noArea) { try Self.polygon((0.1, 0.1), (0.5, 0.5), (0.9, 0.9)).validated() }
    }

    @Test func goodZoneIsReturnedUnchanged() throws {
        let zone = Self.polygon((0.1, 0.1), (0.9, 0.2), (0.5, 0.9))
        #expect(try zone.validated() == zone)
        #expect(try ImagePolygon.wholePicture.validated() == .wholePicture)
    }

    /// Inside by the winding number (sum of the angles the edges subtend), a different
    /// algorithm from the even-odd crossing count of `contains`.
    static func windingContains(_ polygon: ImagePolygon, _ point: ImagePoint) -> Bool {
        var total = 0.0
        for index in polygon.points.indices {
            let a = polygon.points[index], b = polygon.points[(index + 1) % polygon.points.count]
            let angleA = atan2(a.y - point.y, a.x - point.x), angleB = atan2(b.y - point.y, b.x - point.x)
            var turn = angleB - angleA
            if turn > .pi { turn -= 2 * .pi }
            if turn < -.pi { turn += 2 * .pi }
            total += turn
        }
        return abs(total) > .pi
    }

    /// Distance from `point` to the segment ab.
    static func distance(_ point: ImagePoint, _ a: ImagePoint, _ b: ImagePoint) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let t = max(0, min(1, ((point.x - a.x) * dx + (point.y - a.y) * dy) / max(1e-18, dx * dx + dy * dy)))
        return hypot(point.x - a.x - t * dx, point.y - a.y - t * dy)
    }

    @Test func containsAgreesWithTheWindingNumberOnRandomStarShapedZones() async {
        // A star-shaped polygon (corners at increasing angles round a centre) is always simple.
        await propertyCheck(count: 200, input: Gen.double(in: 0.05...0.45).array(of: 3...12), Gen.double(in: 0...1),
                            Gen.double(in: 0...1)) { radii, px, py in
            let points = radii.enumerated().map { index, radius in
                let angle = 2 * Double.pi * Double(index) / Double(radii.count)
                return ImagePoint(x: 0.5 + radius * cos(angle), y: 0.5 + radius * sin(angle))
            }
            let zone = ImagePolygon(points: points)
            let point = ImagePoint(x: px, y: py)
            let nearEdge = points.indices.contains { Self.distance(point, points[$0], points[($0 + 1) % points.count]) < 1e-9 }
            if !nearEdge {
                #expect(zone.contains(point) == Self.windingContains(zone, point))
            }
        }
    }

    // MARK: - Lines

    @Test func lineSidesAreSeenLookingFromStartToEnd() throws {
        let line = try ImageLine(start: ImagePoint(x: 0.2, y: 0.5), end: ImagePoint(x: 0.8, y: 0.5)).validated()
        #expect(line.side(of: ImagePoint(x: 0.5, y: 0.3)) < 0)   // above: on the left
        #expect(line.side(of: ImagePoint(x: 0.5, y: 0.7)) > 0)
        #expect(line.side(of: ImagePoint(x: 0.9, y: 0.5)) == 0)
        #expect(line.isCrossed(from: ImagePoint(x: 0.5, y: 0.3), to: ImagePoint(x: 0.5, y: 0.7)))
        #expect(!line.isCrossed(from: ImagePoint(x: 0.9, y: 0.3), to: ImagePoint(x: 0.9, y: 0.7)))   // past the end
        #expect(throws: ImageShapeError.zeroLengthLine) { try ImageLine(start: line.start, end: line.start).validated() }
    }

    // MARK: - Schedules

    @Test func daytimeWindowIsArmedFromItsStartUntilJustBeforeItsEnd() {
        let office = WeeklySchedule(windows: [.init(days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 18 * 60)])
        #expect(office.isArmed(weekday: 1, minute: 9 * 60))
        #expect(office.isArmed(weekday: 5, minute: 18 * 60 - 1))
        #expect(!office.isArmed(weekday: 5, minute: 18 * 60))
        #expect(!office.isArmed(weekday: 6, minute: 12 * 60))
    }

    @Test func windowPastMidnightArmsTheEveningAndTheNextMorning() {
        let sundayNight = WeeklySchedule(windows: [.init(days: [7], startMinute: 22 * 60, endMinute: 6 * 60)])
        #expect(sundayNight.isArmed(weekday: 7, minute: 23 * 60))
        #expect(sundayNight.isArmed(weekday: 1, minute: 5 * 60 + 59))   // Monday morning, across the week's end
        #expect(!sundayNight.isArmed(weekday: 1, minute: 6 * 60))
        #expect(!sundayNight.isArmed(weekday: 7, minute: 5 * 60))   // Sunday morning belongs to Saturday's night
        #expect(!sundayNight.isArmed(weekday: 1, minute: 23 * 60))
    }

    @Test func windowEndingAtMidnightAndOneOfAFullDay() {
        let evening = WeeklySchedule(windows: [.init(days: [2], startMinute: 20 * 60, endMinute: 1440)])
        #expect(evening.isArmed(weekday: 2, minute: 1439))
        #expect(!evening.isArmed(weekday: 3, minute: 0))
        let dayLong = WeeklySchedule(windows: [.init(days: [2], startMinute: 8 * 60, endMinute: 8 * 60)])
        #expect(dayLong.isArmed(weekday: 3, minute: 7 * 60 + 59))
        #expect(!dayLong.isArmed(weekday: 3, minute: 8 * 60))
    }

    @Test func scheduleProblemsNameTheWindow() {
        #expect(throws: WeeklySchedule.Problem.badDay(window: 1, day: 8)) {
            try WeeklySchedule(windows: [.init(days: [1], startMinute: 0, endMinute: 60), .init(days: [8], startMinute: 0, endMinute: 60)]).validated()
        }
        #expect(throws: WeeklySchedule.Problem.badMinute(window: 0, minute: 1440)) {
            try WeeklySchedule(windows: [.init(days: [1], startMinute: 1440, endMinute: 60)]).validated()
        }
        #expect(throws: WeeklySchedule.Problem.neverArmed) {
            try WeeklySchedule(windows: [.init(days: [], startMinute: 0, endMinute: 60)]).validated()
        }
    }

    // MARK: - Rules

    static let zone = polygon((0.1, 0.1), (0.9, 0.1), (0.9, 0.9))

    @Test(arguments: [
        (AnalyticsRule(name: " \n", kind: .intrusion(zone: zone)), "name"),
        (AnalyticsRule(name: "r", kind: .intrusion(zone: zone), minimumHeight: 1.5), "minimumHeight"),
        (AnalyticsRule(name: "r", kind: .intrusion(zone: zone), coolDownSeconds: -1), "coolDownSeconds"),
        (AnalyticsRule(name: "r", kind: .loitering(zone: zone, seconds: 0)), "kind.seconds"),
        (AnalyticsRule(name: "r", kind: .fall(zone: zone, seconds: .nan)), "kind.seconds"),
        (AnalyticsRule(name: "r", kind: .crowding(zone: zone, count: 0)), "kind.count"),
        (AnalyticsRule(name: "r", kind: .abandonedObject(zone: polygon((0, 0), (1, 1)), seconds: 5)), "kind.zone"),
        (AnalyticsRule(name: "r", kind: .lineCrossing(line: ImageLine(start: .init(x: 0, y: 0), end: .init(x: 0, y: 0)), direction: .either)),
         "kind.line"),
        (AnalyticsRule(name: "r", kind: .intrusion(zone: zone), schedule: WeeklySchedule(windows: [])), "schedule"),
    ])
    func invalidRuleNamesTheFieldAtFault(rule: AnalyticsRule, field: String) {
        #expect(throws: AnalyticsRule.Problem.self) { try rule.validated() }
        do {
            _ = try rule.validated()
        } catch {
            #expect(error.field == field)
            #expect(!error.reason.isEmpty)
        }
    }

    @Test func goodRuleIsReturnedAndAppliesByClassAndSize() throws {
        let rule = AnalyticsRule(name: "people", kind: .intrusion(zone: Self.zone), classes: [.person], minimumHeight: 0.1)
        #expect(try rule.validated() == rule)
        #expect(rule.applies(to: .person, heightFraction: 0.1))
        #expect(!rule.applies(to: .person, heightFraction: 0.09))
        #expect(!rule.applies(to: .car, heightFraction: 0.5))
        #expect(AnalyticsRule(name: "any", kind: .intrusion(zone: Self.zone)).applies(to: .unknown, heightFraction: 0))
    }
}
