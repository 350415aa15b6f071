/// A straight stretch of a road's shape, at most ``RoadNetwork/pieceMetres`` long.
struct RoadPiece: Sendable {
    var road: Int
    var start: GeoPoint
    var end: GeoPoint
    /// Metres along the road's shape at ``start``.
    var shapeOffset: Double
    /// Metres from start to end.
    var length: Double

    var midpoint: GeoPoint {
        start.interpolated(to: end, fraction: 0.5)
    }
}

extension RoadNetwork {
    /// The junction nearest to `point`, with its distance in metres.
    public func nearestJunction(to point: GeoPoint) -> (junction: Int, distance: Double)? {
        junctionIndex.nearest(1, to: point).first.map { ($0.id, $0.distance) }
    }

    /// The nearest place on any road to `point`, optionally only on roads open to `access` and
    /// in connected part `component`; nil when none lies within `maximumDistance` metres.
    public func nearestRoadPosition(to point: GeoPoint, access: RoadAccess = [], component: Int? = nil,
                                    maximumDistance: Double = 50_000) -> RoadPosition? {
        guard point.isValid, !pieces.isEmpty else { return nil }
        // Every piece within r of the point has its midpoint within r + half a piece, so the
        // best found at radius r is the true nearest once it is no farther than r.
        var radius = 50.0
        while true {
            let best = roadPositions(near: point, within: radius, access: access, component: component)
                .min { $0.distance < $1.distance }
            if let best, best.distance <= radius { return best }
            if radius >= maximumDistance { return nil }
            radius = min(radius * 2, maximumDistance)
        }
    }

    /// The nearest place on each road passing within `radius` metres of `point`, nearest first.
    public func roadPositions(near point: GeoPoint, within radius: Double, access: RoadAccess = [],
                              component: Int? = nil) -> [RoadPosition] {
        let plane = LocalPlane(origin: point)
        var bestOfRoad: [Int: RoadPosition] = [:]
        for hit in pieceIndex.within(radius: radius + longestHalfPiece, of: point) {
            let piece = pieces[hit.id]
            let road = roads[piece.road]
            guard road.access.isSuperset(of: access) else { continue }
            if let component, self.component(ofRoad: piece.road) != component { continue }
            let (fraction, distance) = Self.closest(plane: plane, start: piece.start, end: piece.end)
            guard distance <= radius, distance < bestOfRoad[piece.road]?.distance ?? .infinity else { continue }
            let shapeOffset = piece.shapeOffset + fraction * piece.length
            let shapeLength = shapeLengths[piece.road]
            let offset = shapeLength > 0 ? min(road.length, shapeOffset / shapeLength * road.length) : 0
            let along = piece.start.interpolated(to: piece.end, fraction: fraction)
            bestOfRoad[piece.road] = RoadPosition(road: piece.road, offset: offset, point: along, distance: distance)
        }
        return bestOfRoad.values.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.road < $1.road }
    }

    /// The course of `road` from `start` to `end` metres along its length, as drawn.
    public func polyline(ofRoad road: Int, from start: Double, to end: Double) -> [GeoPoint] {
        let shape = roads[road].shape
        let toShape = shapeLengths[road] / roads[road].length
        let from = max(0, start) * toShape, to = min(roads[road].length, end) * toShape
        guard to >= from else { return [] }
        var line: [GeoPoint] = []
        var walked = 0.0
        for i in 1..<shape.count {
            let a = shape[i - 1], b = shape[i]
            let length = a.distance(to: b)
            let next = walked + length
            func at(_ metres: Double) -> GeoPoint {
                a.interpolated(to: b, fraction: length > 0 ? (metres - walked) / length : 0)
            }
            if line.isEmpty, from <= next { line.append(at(from)) }
            if !line.isEmpty {
                if to <= next { line.append(at(to)); return line }
                line.append(b)
            }
            walked = next
        }
        if line.isEmpty, let last = shape.last { line.append(last) }
        return line
    }

    /// Where along segment start→end (0…1) the point nearest to the plane's origin is, and its distance.
    static func closest(plane: LocalPlane, start: GeoPoint, end: GeoPoint) -> (fraction: Double, distance: Double) {
        let a = plane.offset(of: start), b = plane.offset(of: end)
        let dx = b.east - a.east, dy = b.north - a.north
        let squared = dx * dx + dy * dy
        let t = squared > 0 ? min(1, max(0, -(a.east * dx + a.north * dy) / squared)) : 0
        let x = a.east + t * dx, y = a.north + t * dy
        return (t, (x * x + y * y).squareRoot())
    }

    /// Cuts every road's shape into straight pieces no longer than ``pieceMetres``.
    static func cutIntoPieces(_ roads: [Road]) -> (pieces: [RoadPiece], shapeLengths: [Double]) {
        var pieces: [RoadPiece] = []
        var shapeLengths: [Double] = []
        for (index, road) in roads.enumerated() {
            var walked = 0.0
            for i in 1..<road.shape.count {
                let a = road.shape[i - 1], b = road.shape[i]
                let length = a.distance(to: b)
                let count = max(1, Int((length / pieceMetres).rounded(.up)))
                for k in 0..<count {
                    let t0 = Double(k) / Double(count), t1 = Double(k + 1) / Double(count)
                    pieces.append(RoadPiece(road: index, start: a.interpolated(to: b, fraction: t0), end: a.interpolated(to: b, fraction: t1),
                                            shapeOffset: walked + t0 * length,
                                            length: length / Double(count)))
                }
                walked += length
            }
            shapeLengths.append(walked)
        }
        return (pieces, shapeLengths)
    }
}
