import CityWatchDomain

/// Small hand-made networks laid out in metres east and north of a point in Gangnam, so that
/// expected travel times can be worked out on paper.
enum Roads {
    static let plane = LocalPlane(origin: GeoPoint(latitude: 37.5, longitude: 127.03))

    /// The point `east`, `north` metres from the origin.
    static func at(_ east: Double, _ north: Double) -> GeoPoint {
        plane.point(east: east, north: north)
    }

    /// A road between two junctions of `spots`, as long as the straight line.
    static func road(_ id: String, _ from: Int, _ to: Int, _ spots: [(Double, Double)], speed: Double = 10,
                     access: RoadAccess = .everyone) -> RoadNetwork.Road {
        let a = at(spots[from].0, spots[from].1), b = at(spots[to].0, spots[to].1)
        return RoadNetwork.Road(id: id, from: from, to: to, length: a.distance(to: b), speedLimit: speed, access: access, shape: [a, b])
    }

    /// Both directions of a street.
    static func street(_ id: String, _ a: Int, _ b: Int, _ spots: [(Double, Double)], speed: Double = 10,
                       access: RoadAccess = .everyone) -> [RoadNetwork.Road] {
        [road(id, a, b, spots, speed: speed, access: access), road("-" + id, b, a, spots, speed: speed, access: access)]
    }

    static func network(_ spots: [(Double, Double)], _ roads: [RoadNetwork.Road]) -> RoadNetwork {
        let junctions = spots.enumerated().map { RoadNetwork.Junction(id: "j\($0.offset)", point: at($0.element.0, $0.element.1)) }
        return try! RoadNetwork(junctions: junctions, roads: roads)
    }

    /// Four junctions 100 m apart on a line west to east, two-way.
    static func line() -> RoadNetwork {
        let spots = [(0.0, 0.0), (100, 0), (200, 0), (300, 0)]
        return network(spots, street("ab", 0, 1, spots) + street("bc", 1, 2, spots) + street("cd", 2, 3, spots))
    }

    /// An n × n grid of two-way streets `spacing` metres apart; junction r·n + c at (c, r)·spacing.
    static func grid(_ n: Int, spacing: Double = 100, speed: Double = 10) -> RoadNetwork {
        var spots: [(Double, Double)] = []
        for r in 0..<n { for c in 0..<n { spots.append((Double(c) * spacing, Double(r) * spacing)) } }
        var roads: [RoadNetwork.Road] = []
        for r in 0..<n {
            for c in 0..<n {
                let j = r * n + c
                if c + 1 < n { roads += street("h\(j)", j, j + 1, spots, speed: speed) }
                if r + 1 < n { roads += street("v\(j)", j, j + n, spots, speed: speed) }
            }
        }
        return network(spots, roads)
    }
}
