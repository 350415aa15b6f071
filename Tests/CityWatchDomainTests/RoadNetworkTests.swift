import CityWatchDomain
import PropertyBased
import Testing

@Suite("Road network")
struct RoadNetworkTests {
    func roadIndex(_ network: RoadNetwork, _ id: String) -> Int {
        network.roads.firstIndex { $0.id == id }!
    }

    @Test func nearestRoadPositionProjectsOntoTheRoad() throws {
        let network = Roads.line()
        let position = try #require(network.nearestRoadPosition(to: Roads.at(150, 10)))
        #expect(abs(position.distance - 10) < 0.1)
        #expect(abs(position.offset - 50) < 0.5)
        #expect(position.point.distance(to: Roads.at(150, 0)) < 0.5)
        #expect(["bc", "-bc"].contains(network.roads[position.road].id))
    }

    @Test func nearestRoadPositionBeyondTheLimitIsNil() {
        #expect(Roads.line().nearestRoadPosition(to: Roads.at(150, 2_000), maximumDistance: 1_000) == nil)
        #expect(Roads.line().nearestRoadPosition(to: Roads.at(150, 2_000), maximumDistance: 3_000) != nil)
    }

    @Test func nearestJunctionIsTheClosestOne() throws {
        let nearest = try #require(Roads.line().nearestJunction(to: Roads.at(190, 30)))
        #expect(nearest.junction == 2)
        #expect(abs(nearest.distance - (10 * 10 + 30 * 30).squareRoot()) < 0.2)
    }

    @Test func walkingAlongALineReachesJunctionsAtDistanceOverSpeed() {
        let network = Roads.line()
        let start = RoadPosition(road: roadIndex(network, "ab"), offset: 0, point: Roads.at(0, 0), distance: 0)
        let times = network.travelTimes(from: start, mode: .foot, walkingSpeed: 1, within: 150)
        #expect(abs(times.arrival(atJunction: 1)! - 100) < 0.1)
        #expect(times.arrival(atJunction: 2) == nil)
        let bc = roadIndex(network, "bc")
        #expect(abs(times.arrival(road: bc, offset: 30)! - 130) < 0.1)
        #expect(times.arrival(road: bc, offset: 60) == nil)
        let stretches = times.reachedStretches(ofRoad: bc)
        #expect(stretches.count == 1)
        #expect(abs(stretches[0].from) < 1e-9 && abs(stretches[0].to - 50) < 0.1 && abs(stretches[0].earliest - 100) < 0.1)
        #expect(times.reachedStretches(ofRoad: roadIndex(network, "cd")).isEmpty)
    }

    /// A one-way street A→B for cars, with B–C and C–A two-way: a car half-way along A→B must go
    /// round by C to get back to A; a pedestrian walks straight back.
    @Test func oneWayStreetIsDrivenOnlyForwardButWalkedBothWays() {
        let spots = [(0.0, 0.0), (100, 0), (100, 100)]
        let network = Roads.network(spots, [Roads.road("ab", 0, 1, spots)] + Roads.street("bc", 1, 2, spots) + Roads.street("ca", 2, 0, spots))
        let ab = roadIndex(network, "ab")
        let start = RoadPosition(road: ab, offset: 50, point: Roads.at(50, 0), distance: 0)
        let car = network.travelTimes(from: start, mode: .car, within: 100)
        #expect(abs(car.arrival(atJunction: 1)! - 5) < 0.01)
        #expect(abs(car.arrival(atJunction: 2)! - 15) < 0.01)
        #expect(abs(car.arrival(atJunction: 0)! - (15 + 2.0.squareRoot() * 10)) < 0.05)
        #expect(abs(car.arrival(road: ab, offset: 20)! - (15 + 2.0.squareRoot() * 10 + 2)) < 0.05)
        let foot = network.travelTimes(from: start, mode: .foot, walkingSpeed: 1.4, within: 100)
        #expect(abs(foot.arrival(atJunction: 0)! - 50 / 1.4) < 0.01)
        #expect(abs(foot.arrival(road: ab, offset: 20)! - 30 / 1.4) < 0.01)
    }

    /// A footpath A–B that cars may not use, beside a three-sided detour for cars.
    @Test func carsGoRoundAFootpathThatPedestriansTake() throws {
        let spots = [(0.0, 0.0), (100, 0), (0, 100), (100, 100)]
        let network = Roads.network(spots, Roads.street("path", 0, 1, spots, access: .pedestrians)
            + Roads.street("west", 0, 2, spots) + Roads.street("top", 2, 3, spots) + Roads.street("east", 3, 1, spots))
        let point = Roads.at(40, 5)
        let walkStart = try #require(network.nearestRoadPosition(to: point, access: .pedestrians))
        #expect(network.roads[walkStart.road].id.hasSuffix("path"))
        let driveStart = try #require(network.nearestRoadPosition(to: point, access: .cars))
        #expect(!network.roads[driveStart.road].id.hasSuffix("path"))
        #expect(abs(driveStart.distance - (40 * 40 + 5 * 5).squareRoot()) < 0.5)
        let foot = network.travelTimes(from: walkStart, mode: .foot, within: 1_000)
        #expect(abs(foot.arrival(atJunction: 1)! - 60 / 1.4) < 0.2)
        let car = network.travelTimes(from: driveStart, mode: .car, within: 1_000)
        let path = roadIndex(network, "path")
        #expect(car.arrival(road: path, offset: 50) == nil)
        #expect(car.reachedStretches(ofRoad: path).isEmpty)
        // From (0, 5) on the west street the car drives 95 m north, 100 m east and 100 m south.
        #expect(abs(car.arrival(atJunction: 1)! - 29.5) < 0.05)
    }

    @Test func componentsAreNumberedLargestFirst() {
        let spots = [(0.0, 0.0), (100, 0), (0, 2_000), (100, 2_000), (200, 2_000)]
        let network = Roads.network(spots, Roads.street("main", 0, 1, spots) + Roads.street("i1", 2, 3, spots) + [Roads.road("i2", 4, 3, spots)])
        #expect(network.componentSizes == [3, 2])
        #expect(network.componentOfJunction == [1, 1, 0, 0, 0])
        #expect(network.component(ofRoad: roadIndex(network, "main")) == 1)
    }

    @Test func polylineOfAStretchStartsAndEndsAtItsOffsets() {
        let network = Roads.line()
        let line = network.polyline(ofRoad: roadIndex(network, "ab"), from: 25, to: 75)
        #expect(line.count == 2)
        #expect(line.first!.distance(to: Roads.at(25, 0)) < 0.2)
        #expect(line.last!.distance(to: Roads.at(75, 0)) < 0.2)
    }

    @Test func roadsNamingMissingJunctionsOrWithoutLengthAreRefused() {
        let junctions = [RoadNetwork.Junction(id: "a", point: Roads.at(0, 0))]
        #expect(throws: RoadNetwork.Problem.unknownJunction(road: "r", index: 3)) {
            try RoadNetwork(junctions: junctions, roads: [RoadNetwork.Road(id: "r", from: 0, to: 3, length: 5, speedLimit: 1, access: .everyone, shape: [])])
        }
        #expect(throws: RoadNetwork.Problem.badMeasure(road: "r", length: 0, speedLimit: 1)) {
            try RoadNetwork(junctions: junctions, roads: [RoadNetwork.Road(id: "r", from: 0, to: 0, length: 0, speedLimit: 1, access: .everyone, shape: [])])
        }
    }

    /// Dijkstra against Bellman–Ford on grids with random one-way and car-free streets.
    @Test func travelTimesEqualBellmanFord() async {
        await propertyCheck(count: 40, input: Gen.uint64(), Gen.int(in: 2...6), Gen.double(in: 10...400), Gen.bool) { seed, n, horizon, byCar in
            var state = seed
            func next() -> Double {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Double(state >> 11) / Double(1 << 53)
            }
            let grid = Roads.grid(n)
            let roads = grid.roads.compactMap { road -> RoadNetwork.Road? in
                if next() < 0.2 { return nil }
                var road = road
                road.speedLimit = 5 + next() * 15
                if next() < 0.2 { road.access = .pedestrians }
                return road
            }
            guard !roads.isEmpty else { return }
            let network = try! RoadNetwork(junctions: grid.junctions, roads: roads)
            let mode: TravelMode = byCar ? .car : .foot
            guard let startRoad = network.roads.indices.first(where: { network.roads[$0].access.contains(mode.access) }) else { return }
            let offset = next() * network.roads[startRoad].length
            let start = RoadPosition(road: startRoad, offset: offset, point: network.junctions[network.roads[startRoad].from].point, distance: 0)
            let times = network.travelTimes(from: start, mode: mode, within: horizon)
            let expected = Self.bellmanFord(network, starts: times.starts, mode: mode, walkingSpeed: 1.4)
            for j in network.junctions.indices {
                let want = expected[j] <= horizon ? expected[j] : nil
                let got = times.arrival(atJunction: j)
                #expect((want == nil) == (got == nil))
                if let want, let got { #expect(abs(want - got) < 1e-6) }
            }
        }
    }

    /// The roads the planner draws (those touching a reached junction or the start) are exactly
    /// the roads with a reached stretch.
    @Test func roadsTouchedAreExactlyTheRoadsWithAReachedStretch() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...119), Gen.double(in: 0...1), Gen.double(in: 0...200), Gen.bool) { road, fraction, horizon, byCar in
            let network = Roads.grid(6)
            let mode: TravelMode = byCar ? .car : .foot
            let start = RoadPosition(road: road, offset: fraction * network.roads[road].length, point: network.junctions[0].point, distance: 0)
            let times = network.travelTimes(from: start, mode: mode, within: horizon)
            let withStretch = network.roads.indices.filter { !times.reachedStretches(ofRoad: $0).isEmpty }
            #expect(times.roadsTouched == withStretch)
        }
    }

    static func bellmanFord(_ network: RoadNetwork, starts: [RoadPosition], mode: TravelMode, walkingSpeed: Double) -> [Double] {
        var t = [Double](repeating: .infinity, count: network.junctions.count)
        for start in starts {
            let road = network.roads[start.road]
            guard road.access.contains(mode.access) else { continue }
            let speed = mode == .foot ? walkingSpeed : road.speedLimit
            t[road.to] = min(t[road.to], (road.length - start.offset) / speed)
            if mode == .foot { t[road.from] = min(t[road.from], start.offset / speed) }
        }
        for _ in network.junctions.indices {
            for road in network.roads where road.access.contains(mode.access) {
                let cost = road.length / (mode == .foot ? walkingSpeed : road.speedLimit)
                t[road.to] = min(t[road.to], t[road.from] + cost)
                if mode == .foot { t[road.from] = min(t[road.from], t[road.to] + cost) }
            }
        }
        return t
    }
}
