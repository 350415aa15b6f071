/// A road network: junctions and the directed roads between them, with what the cast-net
/// needs to route over it (length, speed limit, who may use it) and to draw it (shape).
///
/// The network is an immutable value built once (from a SUMO file, or by hand in tests). On
/// construction it numbers its connected parts and indexes its roads in short pieces, so
/// "which road is nearest this point" and "which roads pass within 30 m of this camera" are
/// grid look-ups rather than scans.
public struct RoadNetwork: Sendable {
    /// A crossing or a road end.
    public struct Junction: Hashable, Sendable, Codable {
        /// The source's name for it (a SUMO junction id).
        public var id: String
        public var point: GeoPoint

        public init(id: String, point: GeoPoint) {
            self.id = id
            self.point = point
        }
    }

    /// A directed road from one junction to another. A two-way street is two roads.
    public struct Road: Hashable, Sendable, Codable {
        /// The source's name for it (a SUMO edge id).
        public var id: String
        /// Index of the start junction in ``RoadNetwork/junctions``.
        public var from: Int
        /// Index of the end junction.
        public var to: Int
        /// Length in metres, as the source measured it along the road.
        public var length: Double
        /// Speed limit in metres per second.
        public var speedLimit: Double
        public var access: RoadAccess
        /// The road's course from start to end; its first and last points need not be the
        /// junctions' own.
        public var shape: [GeoPoint]

        public init(id: String, from: Int, to: Int, length: Double, speedLimit: Double, access: RoadAccess, shape: [GeoPoint]) {
            self.id = id
            self.from = from
            self.to = to
            self.length = length
            self.speedLimit = speedLimit
            self.access = access
            self.shape = shape
        }
    }

    /// Why a network could not be built from the junctions and roads given.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// A road names a junction index that does not exist.
        case unknownJunction(road: String, index: Int)
        /// A road's length or speed limit is not a positive finite number.
        case badMeasure(road: String, length: Double, speedLimit: Double)
        /// A junction's or a shape point's coordinates are out of range.
        case badPoint(element: String)

        public var description: String {
            switch self {
            case let .unknownJunction(road, index): "road \(road) names junction #\(index), which does not exist"
            case let .badMeasure(road, length, speed): "road \(road) has length \(length) m and speed limit \(speed) m/s; both must be positive"
            case let .badPoint(element): "\(element) has coordinates outside WGS84's range"
            }
        }
    }

    public let junctions: [Junction]
    public let roads: [Road]
    /// Roads leaving each junction (indices into ``roads``).
    let outgoing: [[Int]]
    /// Roads arriving at each junction.
    let incoming: [[Int]]
    /// The connected part (roads taken both ways, whoever may use them) of each junction;
    /// part 0 is the largest, part 1 the next, and so on.
    public let componentOfJunction: [Int]
    /// Number of junctions in each connected part, largest first.
    public let componentSizes: [Int]
    /// Short straight pieces of every road's shape, for nearest-road queries.
    let pieces: [RoadPiece]
    /// The pieces' midpoints.
    let pieceIndex: SpatialIndex
    /// Half the length of the longest piece, in metres: how far a piece reaches from its midpoint.
    let longestHalfPiece: Double
    /// Each road's shape length in metres (its drawn course, which may differ from ``Road/length``).
    let shapeLengths: [Double]
    let junctionIndex: SpatialIndex

    /// The longest a road piece in the nearest-road index may be.
    static let pieceMetres = 25.0

    /// Builds the network, checking that every road joins two junctions that exist and has a
    /// positive length and speed limit. A road with fewer than two shape points is drawn as
    /// the straight line between its junctions.
    public init(junctions: [Junction], roads: [Road]) throws(Problem) {
        for junction in junctions where !junction.point.isValid { throw .badPoint(element: "junction \(junction.id)") }
        var roads = roads
        for i in roads.indices {
            let road = roads[i]
            for index in [road.from, road.to] where !junctions.indices.contains(index) {
                throw .unknownJunction(road: road.id, index: index)
            }
            guard road.length.isFinite, road.length > 0, road.speedLimit.isFinite, road.speedLimit > 0 else {
                throw .badMeasure(road: road.id, length: road.length, speedLimit: road.speedLimit)
            }
            guard road.shape.allSatisfy(\.isValid) else { throw .badPoint(element: "the shape of road \(road.id)") }
            if road.shape.count < 2 { roads[i].shape = [junctions[road.from].point, junctions[road.to].point] }
        }
        self.junctions = junctions
        self.roads = roads
        var outgoing = [[Int]](repeating: [], count: junctions.count)
        var incoming = [[Int]](repeating: [], count: junctions.count)
        for (i, road) in roads.enumerated() {
            outgoing[road.from].append(i)
            incoming[road.to].append(i)
        }
        self.outgoing = outgoing
        self.incoming = incoming
        (componentOfJunction, componentSizes) = Self.components(junctionCount: junctions.count, roads: roads)
        let cut = Self.cutIntoPieces(roads)
        pieces = cut.pieces
        shapeLengths = cut.shapeLengths
        longestHalfPiece = (pieces.map(\.length).max() ?? 0) / 2
        pieceIndex = SpatialIndex(pieces.enumerated().map { (id: $0.offset, point: $0.element.midpoint) }, cellMetres: 100)
        junctionIndex = SpatialIndex(junctions.enumerated().map { (id: $0.offset, point: $0.element.point) })
    }

    /// The connected part a road belongs to (see ``componentOfJunction``).
    public func component(ofRoad road: Int) -> Int {
        componentOfJunction[roads[road].from]
    }

    /// Numbers the weakly connected parts, largest first.
    private static func components(junctionCount: Int, roads: [Road]) -> (of: [Int], sizes: [Int]) {
        var parent = Array(0..<junctionCount)
        func root(_ j: Int) -> Int {
            var j = j
            while parent[j] != j {
                parent[j] = parent[parent[j]]
                j = parent[j]
            }
            return j
        }
        for road in roads {
            let a = root(road.from), b = root(road.to)
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var sizeOfRoot: [Int: Int] = [:]
        for j in 0..<junctionCount { sizeOfRoot[root(j), default: 0] += 1 }
        // Largest first; ties by the lowest junction, so the numbering is stable.
        let ordered = sizeOfRoot.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var number: [Int: Int] = [:]
        for (i, entry) in ordered.enumerated() { number[entry.key] = i }
        return ((0..<junctionCount).map { number[root($0)]! }, ordered.map(\.value))
    }
}
