/// The road network as lines to draw on the map: each street once, its course simplified.
///
/// A ``RoadNetwork`` is built for routing: a two-way street is two directed roads whose shapes
/// run a lane's width apart, and a shape keeps every point the source surveyed. Drawn as it is,
/// Gangnam's network is twice the lines and several times the points a thin line at street
/// zoom needs. Here the two directions of a street become one line (the first road's course,
/// who may use either direction), and each course is simplified (Douglas–Peucker) to within
/// ``defaultTolerance`` metres of the original.
public struct RoadMap: Hashable, Sendable {
    /// One line on the map.
    public struct Line: Hashable, Sendable {
        /// The source's ids of the roads it stands for: one, or two for a two-way street.
        public var roadIDs: [String]
        /// Who may use it, in either direction.
        public var access: RoadAccess
        /// The course, simplified; at least two points.
        public var points: [GeoPoint]

        /// True when it stands for both directions of a street.
        public var isTwoWay: Bool { roadIDs.count == 2 }
    }

    /// How far a simplified course may stray from the surveyed one, in metres: under a pixel
    /// at zoom 17, where one pixel is about 1 m in Seoul.
    public static let defaultTolerance = 1.0

    /// The lines, in the order of their first road in the network.
    public let lines: [Line]

    /// Merges and simplifies the roads of `network`; `tolerance` is in metres (0 keeps every point).
    public init(network: RoadNetwork, tolerance: Double = RoadMap.defaultTolerance) {
        let roads = network.roads
        // Roads between the same two junctions, by the unordered pair.
        var between: [JunctionPair: [Int]] = [:]
        for (index, road) in roads.enumerated() {
            between[JunctionPair(road.from, road.to), default: []].append(index)
        }
        var partner = [Int?](repeating: nil, count: roads.count)
        for index in roads.indices where partner[index] == nil {
            let road = roads[index]
            guard road.from != road.to else { continue }
            // The first road the other way round not yet paired, of about the same length: the
            // street's other direction (two different streets between one pair of junctions
            // differ in length, and are kept apart).
            let other = between[JunctionPair(road.from, road.to)]?.first { candidate in
                candidate != index && partner[candidate] == nil
                    && roads[candidate].from == road.to && roads[candidate].to == road.from
                    && abs(roads[candidate].length - road.length) <= 0.1 * max(roads[candidate].length, road.length) + 2
            }
            if let other {
                partner[index] = other
                partner[other] = index
            }
        }
        var lines: [Line] = []
        lines.reserveCapacity(roads.count)
        for (index, road) in roads.enumerated() {
            if let other = partner[index], other < index { continue }
            let ids = partner[index].map { [road.id, roads[$0].id] } ?? [road.id]
            let access = partner[index].map { road.access.union(roads[$0].access) } ?? road.access
            lines.append(Line(roadIDs: ids, access: access, points: Self.simplified(road.shape, tolerance: tolerance)))
        }
        self.lines = lines
    }

    /// `points` with every point dropped that lies within `tolerance` metres of the line kept
    /// around it (Douglas–Peucker, in a local metre plane); the ends always stay.
    public static func simplified(_ points: [GeoPoint], tolerance: Double) -> [GeoPoint] {
        guard points.count > 2, tolerance > 0 else { return points }
        let plane = LocalPlane(origin: points[0])
        let xy = points.map { plane.offset(of: $0) }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        // An explicit stack rather than recursion: a surveyed course can have thousands of points.
        var stack = [(0, points.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last - first > 1 else { continue }
            var farthest = first, distance = -1.0
            for i in (first + 1)..<last {
                let d = Self.distance(xy[i], fromSegment: xy[first], xy[last])
                if d > distance {
                    distance = d
                    farthest = i
                }
            }
            if distance > tolerance {
                keep[farthest] = true
                stack.append((first, farthest))
                stack.append((farthest, last))
            }
        }
        return points.indices.filter { keep[$0] }.map { points[$0] }
    }

    /// Metres from `p` to the segment from `a` to `b`.
    static func distance(_ p: (east: Double, north: Double), fromSegment a: (east: Double, north: Double),
                         _ b: (east: Double, north: Double)) -> Double {
        let dx = b.east - a.east, dy = b.north - a.north
        let lengthSquared = dx * dx + dy * dy
        var t = 0.0
        if lengthSquared > 0 {
            t = min(1, max(0, ((p.east - a.east) * dx + (p.north - a.north) * dy) / lengthSquared))
        }
        let ex = a.east + t * dx - p.east, ey = a.north + t * dy - p.north
        return (ex * ex + ey * ey).squareRoot()
    }
}

/// Two junction indices in either order.
private struct JunctionPair: Hashable {
    let low: Int
    let high: Int

    init(_ a: Int, _ b: Int) {
        low = min(a, b)
        high = max(a, b)
    }
}
