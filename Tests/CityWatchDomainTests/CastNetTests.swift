import CityWatchDomain
import Foundation
import PropertyBased
import Testing

@Suite("Cast-net")
struct CastNetTests {
    static let incident = Date(timeIntervalSince1970: 1_790_000_000)

    static func query(at point: GeoPoint, after seconds: Double, radius: Double = 500, outer: Double = 1_000) -> CastNetQuery {
        var query = CastNetQuery(point: point, incidentTime: incident, now: incident.addingTimeInterval(seconds))
        query.radius = radius
        query.outerRadius = outer
        return query
    }

    /// Cameras north of the point: two in the first 100 m band (the farther one looks at the
    /// point, the nearer one away from it), one at 300 m, one in the outer ring, one beyond it.
    @Test func ringsRankCamerasThatSeeThePointFirstWithinABand() {
        let cameras = [
            CastNetCamera(id: "looks-away", point: Roads.at(0, 50), view: CameraView(direction: 0, fieldOfView: 60)),
            CastNetCamera(id: "looks-at", point: Roads.at(0, 80), view: CameraView(direction: 180, fieldOfView: 60)),
            CastNetCamera(id: "mid", point: Roads.at(0, 300)),
            CastNetCamera(id: "outer", point: Roads.at(0, 700)),
            CastNetCamera(id: "beyond", point: Roads.at(0, 1_200)),
        ]
        let plan = CastNet(cameras: cameras).plan(Self.query(at: Roads.at(0, 0), after: 60))
        #expect(plan.cameras.map(\.cameraID) == ["looks-at", "looks-away", "mid", "outer"])
        #expect(plan.cameras.map(\.rank) == [1, 2, 3, 4])
        #expect(plan.cameras.map(\.coversPoint) == [true, false, true, true])
        #expect(plan.cameras.map(\.ring) == [.inner, .inner, .inner, .outer])
        #expect(abs(plan.cameras[0].distance - 80) < 0.5)
        #expect(plan.rings == [CastNetRing(kind: .inner, radius: 500), CastNetRing(kind: .outer, radius: 1_000)])
        #expect(plan.notes.map(\.kind) == [.noRoadNetwork])
        #expect(plan.reachedRoads.isEmpty)
    }

    @Test func ringsFromTheIndexEqualALinearScan() async {
        await propertyCheck(count: 40, input: Gen.uint64(), Gen.double(in: 0...2_000), Gen.double(in: -3_000...3_000), Gen.double(in: -3_000...3_000)) { seed, radius, east, north in
            var state = seed
            func next() -> Double {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Double(state >> 11) / Double(1 << 53)
            }
            let cameras = (0..<800).map { i in
                CastNetCamera(id: "c\(i)", point: Roads.at(next() * 8_000 - 4_000, next() * 8_000 - 4_000),
                              view: next() < 0.5 ? .omnidirectional : CameraView(direction: next() * 360, fieldOfView: 30 + next() * 90))
            }
            let net = CastNet(cameras: cameras)
            let query = Self.query(at: Roads.at(east, north), after: 0, radius: radius / 2, outer: radius)
            #expect(net.plan(query).cameras == net.ringsByLinearScan(query))
        }
    }

    @Test func aPointFarFromEveryRoadGetsRingsOnly() {
        let net = CastNet(cameras: [CastNetCamera(id: "a", point: Roads.at(0, 1_000))], network: Roads.line())
        let plan = net.plan(Self.query(at: Roads.at(0, 1_100), after: 600))
        #expect(plan.notes.map(\.kind) == [.farFromRoads])
        #expect(plan.reachedRoads.isEmpty && plan.routeStarts.isEmpty)
        #expect(plan.cameras.map(\.cameraID) == ["a"])
    }

    /// On the 300 m line, walking from its west end for 200 s reaches 280 m: cameras watching
    /// the road at 150 m and 250 m are picked in that order; one beside the far end is not.
    @Test func routeCamerasAreRankedByArrivalAndUnreachedOnesAreLeftOut() throws {
        let cameras = [
            CastNetCamera(id: "at250", point: Roads.at(250, 10)),
            CastNetCamera(id: "at150", point: Roads.at(150, -20)),
            CastNetCamera(id: "pastTheEnd", point: Roads.at(320, 0)),
            CastNetCamera(id: "offTheRoad", point: Roads.at(150, 60)),
        ]
        var query = Self.query(at: Roads.at(0, 0), after: 200, radius: 50, outer: 60)
        query.modes = [.foot]
        let plan = CastNet(cameras: cameras, network: Roads.line()).plan(query)
        #expect(plan.cameras.map(\.cameraID) == ["at150", "at250"])
        #expect(abs(plan.cameras[0].arrivalSeconds! - 150 / 1.4) < 0.5)
        #expect(abs(plan.cameras[1].arrivalSeconds! - 250 / 1.4) < 0.5)
        #expect(abs(plan.cameras[0].roadDistance! - 20) < 0.2)
        #expect(plan.cameras.allSatisfy { $0.ring == nil && $0.arrivalMode == .foot })
        #expect(plan.notes.isEmpty)
        let reachedEnd = plan.reachedRoads.filter { $0.roadID == "cd" }
        #expect(reachedEnd.count == 1 && abs(reachedEnd[0].toFraction - 0.8) < 0.01)
    }

    @Test func theNetGrowsAsTimePasses() {
        let grid = Roads.grid(6)
        let cameras = grid.junctions.enumerated().map { CastNetCamera(id: "c\($0.offset)", point: Roads.plane.point(
            east: Roads.plane.offset(of: $0.element.point).east + 12, north: Roads.plane.offset(of: $0.element.point).north + 12)) }
        let net = CastNet(cameras: cameras, network: grid)
        func routePicks(_ seconds: Double) -> [CastNetPick] {
            net.plan(Self.query(at: Roads.at(250, 240), after: seconds, radius: 1, outer: 1)).cameras.filter { $0.arrivalSeconds != nil }
        }
        let early = routePicks(30), late = routePicks(120)
        #expect(Set(early.map(\.cameraID)).isStrictSubset(of: Set(late.map(\.cameraID))))
        #expect(early.allSatisfy { $0.arrivalSeconds! <= 30 })
        #expect(late.allSatisfy { $0.arrivalSeconds! <= 120 })
        #expect(late.map(\.arrivalSeconds!) == late.map(\.arrivalSeconds!).sorted())
    }

    /// A 5 × 5 grid with a two-junction island 200 m north of it: a point beside the island
    /// starts its routes on the grid and says so; the island's camera is never on a route.
    @Test func aPointBesideASmallIslandStartsOnTheLargestPart() throws {
        let grid = Roads.grid(5)
        let island = [RoadNetwork.Junction(id: "i0", point: Roads.at(0, 600)), RoadNetwork.Junction(id: "i1", point: Roads.at(100, 600))]
        let islandRoad = RoadNetwork.Road(id: "island", from: 25, to: 26, length: 100, speedLimit: 10, access: .everyone,
                                          shape: [island[0].point, island[1].point])
        let network = try RoadNetwork(junctions: grid.junctions + island, roads: grid.roads + [islandRoad])
        let cameras = [CastNetCamera(id: "onIsland", point: Roads.at(60, 605)), CastNetCamera(id: "onGrid", point: Roads.at(60, 405))]
        let plan = CastNet(cameras: cameras, network: network).plan(Self.query(at: Roads.at(50, 590), after: 300))
        #expect(plan.notes.map(\.kind) == [.movedToLargestPart])
        #expect(!plan.routeStarts.isEmpty && plan.routeStarts.allSatisfy { $0.roadID != "island" && $0.distance > 150 })
        #expect(plan.reachedRoads.allSatisfy { $0.roadID != "island" })
        #expect(plan.cameras.first { $0.cameraID == "onIsland" }?.arrivalSeconds == nil)
        #expect(plan.cameras.first { $0.cameraID == "onGrid" }?.arrivalSeconds != nil)
    }

    @Test func followRecentresOnTheCameraAtTheTimeSeen() throws {
        let net = CastNet(cameras: [CastNetCamera(id: "x", point: Roads.at(200, 0))], network: Roads.line())
        let first = Self.query(at: Roads.at(0, 0), after: 60)
        let seen = Self.incident.addingTimeInterval(90)
        let next = try #require(net.follow(first, seenOn: "x", at: seen))
        #expect(next.point == Roads.at(200, 0))
        #expect(next.incidentTime == seen)
        #expect(next.now == seen)
        #expect(next.radius == first.radius)
        #expect(net.follow(first, seenOn: "nobody", at: seen) == nil)
    }

    @Test func nowBeforeTheIncidentCastsForZeroSeconds() {
        let plan = CastNet(cameras: [], network: Roads.line()).plan(Self.query(at: Roads.at(100, 0), after: -30))
        #expect(plan.elapsedSeconds == 0)
        #expect(plan.notes.map(\.kind) == [.nowBeforeIncident])
        #expect(plan.reachedRoads.allSatisfy { $0.earliestSeconds == 0 })
    }

    @Test func aPlanSurvivesAJSONRoundTrip() throws {
        let net = CastNet(cameras: [CastNetCamera(id: "a", point: Roads.at(120, 10), view: CameraView(direction: 90, fieldOfView: 70))],
                          network: Roads.line())
        let plan = net.plan(Self.query(at: Roads.at(0, 0), after: 120))
        #expect(!plan.reachedRoads.isEmpty && !plan.cameras.isEmpty)
        let decoded = try JSONDecoder().decode(CastNetPlan.self, from: JSONEncoder().encode(plan))
        #expect(decoded == plan)
    }
}

@Suite("Camera view")
struct CameraViewTests {
    @Test(arguments: [
        ("360도전방면", nil, true), ("360도 전방면", nil, true), ("북측", 0.0, true), ("남동쪽", 135.0, true),
        ("서 방향", 270.0, true), ("45도", 45.0, true), ("방향 120°", 120.0, true), ("N", 0.0, true), ("south-east", 135.0, true),
        ("강남나들목", nil, false), ("탄천", nil, false), ("승강기 내부", nil, false), ("", nil, false),
    ] as [(String, Double?, Bool)])
    func registryTextGivesADirectionOrAllRound(text: String, direction: Double?, recognised: Bool) {
        let parsed = CameraView.parsing(registryText: text)
        #expect(parsed.view.direction == direction)
        #expect(parsed.view.fieldOfView == (direction == nil ? 360 : CameraView.typicalFieldOfView))
        #expect(parsed.recognised == recognised)
    }

    @Test func coverageWrapsAroundNorth() {
        let view = CameraView(direction: 350, fieldOfView: 40)
        #expect(view.covers(bearing: 5))
        #expect(view.covers(bearing: 331))
        #expect(!view.covers(bearing: 320))
        #expect(!view.covers(bearing: 20))
        #expect(CameraView.omnidirectional.covers(bearing: 123))
        #expect(CameraView(direction: -90).direction == 270)
    }

    @Test func bearingIsClockwiseFromNorth() {
        let origin = Roads.at(0, 0)
        #expect(abs(origin.bearing(to: Roads.at(0, 100)) - 0) < 0.01)
        #expect(abs(origin.bearing(to: Roads.at(100, 0)) - 90) < 0.01)
        #expect(abs(origin.bearing(to: Roads.at(0, -100)) - 180) < 0.01)
        #expect(abs(origin.bearing(to: Roads.at(-100, -100)) - 225) < 0.01)
    }
}
