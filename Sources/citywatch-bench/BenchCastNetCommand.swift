import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import Foundation
import Histogram
import SwiftGraph

/// `citywatch-bench castnet`: cast-net rings on 100,000 cameras against a linear scan, and
/// escape routes on the Gangnam road network and on a generated grid 100× its size.
struct BenchCastNetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "castnet",
        abstract: "Cast-net latency: rings against a linear scan, escape routes on Gangnam and on a 100× larger grid.")

    @Option(help: "Cameras to generate (spread over a 30 × 30 km city around Gangnam).") var cameras = 100_000
    @Option(help: "Ring queries to time (the linear scan times a tenth of them).") var queries = 2_000
    @Option(help: "Escape-route queries to time on each network.") var routeQueries = 200
    @Option(help: "Minutes since the incident for escape routes.") var minutes = 5.0
    @Option(help: ArgumentHelp("SUMO road network to route on.", valueName: "file"))
    var network = "../shared/data/gangnam.net.xml"
    @Option(help: "Random seed.") var seed: UInt64 = 42

    func validate() throws {
        guard cameras > 0, queries > 0, routeQueries > 0, minutes > 0 else {
            throw ValidationError("--cameras, --queries, --route-queries and --minutes must be positive")
        }
    }

    func run() async throws {
        var random = SeededGenerator(seed: seed)
        let city = (0..<cameras).map { i in
            CastNetCamera(id: "c\(i)", point: random.cityPoint(),
                          view: Bool.random(using: &random) ? .omnidirectional
                              : CameraView(direction: Double.random(in: 0..<360, using: &random), fieldOfView: 90))
        }
        print("cast-net: \(cameras.grouped) cameras over a 30 × 30 km city, \(minutes) min since the incident\n")
        print("| what | p50 | p99 | baseline p50 | ratio (baseline ÷ this) |")
        print("|---|---|---|---|---|")
        benchRings(city, random: &random)
        let gangnam = try SUMONetworkReader().read(contentsOf: URL(fileURLWithPath: network)).network
        benchRoutes(name: "Gangnam (\(gangnam.junctions.count.grouped) junctions, \(gangnam.roads.count.grouped) roads)",
                    network: gangnam, cameras: city, random: &random)
        let grid = Self.grid(side: 204, spacing: 150, origin: GeoPoint(latitude: 37.36, longitude: 126.87))
        benchRoutes(name: "grid (\(grid.junctions.count.grouped) junctions, \(grid.roads.count.grouped) roads)",
                    network: grid, cameras: city, random: &random)
    }

    private func benchRings(_ city: [CastNetCamera], random: inout SeededGenerator) {
        let net = CastNet(cameras: city)
        let centres = (0..<queries).map { _ in city[Int.random(in: 0..<city.count, using: &random)].point }
        let incident = Date(timeIntervalSince1970: 1_790_000_000)
        var indexed = Self.histogram(), linear = Self.histogram()
        var picked = 0
        for centre in centres {
            let query = CastNetQuery(point: centre, incidentTime: incident, now: incident)
            let start = ContinuousClock.now
            picked += net.plan(query).cameras.count
            indexed.record(Self.nanoseconds(since: start))
        }
        for centre in centres.prefix(max(1, queries / 10)) {
            let query = CastNetQuery(point: centre, incidentTime: incident, now: incident)
            let start = ContinuousClock.now
            picked -= net.ringsByLinearScan(query).count
            linear.record(Self.nanoseconds(since: start))
        }
        Self.row("rings 500 m + 1 km (\(Self.mean(picked, indexed.totalCount)) cameras a query), index vs linear scan", indexed, baseline: linear)
    }

    /// Times one mode's travel times alone, then a whole plan (rings, both modes, camera picks),
    /// and SwiftGraph's Dijkstra over the same car graph as the baseline for the routing.
    private func benchRoutes(name: String, network: RoadNetwork, cameras: [CastNetCamera], random: inout SeededGenerator) {
        let net = CastNet(cameras: cameras, network: network)
        let points = (0..<routeQueries).map { _ in network.junctions[Int.random(in: 0..<network.junctions.count, using: &random)].point }
        let starts = points.compactMap { network.nearestRoadPosition(to: $0, access: .cars) }
        let horizon = minutes * 60
        var car = Self.histogram(), carFull = Self.histogram(), plan = Self.histogram(), swiftGraph = Self.histogram()
        var reached = 0, picks = 0
        for start in starts {
            var begin = ContinuousClock.now
            let times = network.travelTimes(from: start, mode: .car, within: horizon)
            car.record(Self.nanoseconds(since: begin))
            reached += network.junctions.indices.filter { times.arrival(atJunction: $0) != nil }.count
            begin = ContinuousClock.now
            _ = network.travelTimes(from: start, mode: .car, within: .infinity)
            carFull.record(Self.nanoseconds(since: begin))
        }
        let graph = Self.swiftGraph(network)
        for start in starts {
            let begin = ContinuousClock.now
            let (distances, _) = graph.dijkstra(root: network.roads[start.road].to, startDistance: 0)
            swiftGraph.record(Self.nanoseconds(since: begin))
            precondition(distances.count == network.junctions.count)
        }
        let incident = Date(timeIntervalSince1970: 1_790_000_000)
        for point in points {
            let begin = ContinuousClock.now
            picks += net.plan(CastNetQuery(point: point, incidentTime: incident, now: incident.addingTimeInterval(horizon))).cameras.count
            plan.record(Self.nanoseconds(since: begin))
        }
        Self.row("\(name): car travel times, whole network, vs SwiftGraph `dijkstra`", carFull, baseline: swiftGraph)
        Self.row("\(name): car travel times to \(Int(minutes)) min (\(Self.mean(reached, car.totalCount)) junctions reached)", car, baseline: swiftGraph)
        Self.row("\(name): whole plan, rings + foot + car + camera picks (\(Self.mean(picks, plan.totalCount)) cameras)", plan, baseline: nil)
    }

    // MARK: - Inputs

    /// A `side` × `side` grid of two-way streets `spacing` metres apart north-east of `origin`;
    /// every fifth street is an avenue at 60 km/h, the rest 30 km/h.
    static func grid(side: Int, spacing: Double, origin: GeoPoint) -> RoadNetwork {
        let plane = LocalPlane(origin: origin)
        var junctions: [RoadNetwork.Junction] = []
        for r in 0..<side { for c in 0..<side {
            junctions.append(RoadNetwork.Junction(id: "\(r)-\(c)", point: plane.point(east: Double(c) * spacing, north: Double(r) * spacing)))
        } }
        var roads: [RoadNetwork.Road] = []
        func street(_ a: Int, _ b: Int, avenue: Bool) {
            let speed = avenue ? 16.67 : 8.33
            for (from, to) in [(a, b), (b, a)] {
                roads.append(RoadNetwork.Road(id: "\(from)>\(to)", from: from, to: to, length: spacing, speedLimit: speed,
                                              access: .everyone, shape: [junctions[from].point, junctions[to].point]))
            }
        }
        for r in 0..<side { for c in 0..<side {
            let j = r * side + c
            if c + 1 < side { street(j, j + 1, avenue: r % 5 == 0) }
            if r + 1 < side { street(j, j + side, avenue: c % 5 == 0) }
        } }
        return try! RoadNetwork(junctions: junctions, roads: roads)
    }

    /// The car graph for SwiftGraph: one weighted directed edge per car road, weight in seconds.
    static func swiftGraph(_ network: RoadNetwork) -> WeightedGraph<String, Double> {
        let graph = WeightedGraph<String, Double>(vertices: network.junctions.map(\.id))
        for road in network.roads where road.access.contains(.cars) {
            graph.addEdge(fromIndex: road.from, toIndex: road.to, weight: road.length / road.speedLimit, directed: true)
        }
        return graph
    }

    // MARK: - Output

    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 100_000_000_000, numberOfSignificantValueDigits: .three)
    }

    static func nanoseconds(since start: ContinuousClock.Instant) -> UInt64 {
        UInt64((ContinuousClock.now - start).nanoseconds)
    }

    static func milliseconds(_ h: Histogram<UInt64>, _ q: Double) -> String {
        String(format: "%.2f ms", Double(h.valueAtPercentile(q)) / 1e6)
    }

    static func mean(_ total: Int, _ count: UInt64) -> String {
        String(format: "%.0f", Double(total) / Double(max(1, count)))
    }

    static func row(_ what: String, _ h: Histogram<UInt64>, baseline: Histogram<UInt64>?) {
        let base = baseline.map { milliseconds($0, 50) } ?? "—"
        let ratio = baseline.map { String(format: "%.1f×", Double($0.valueAtPercentile(50)) / max(1, Double(h.valueAtPercentile(50)))) } ?? "—"
        print("| \(what) | \(milliseconds(h, 50)) | \(milliseconds(h, 99)) | \(base) | \(ratio) |")
    }
}
