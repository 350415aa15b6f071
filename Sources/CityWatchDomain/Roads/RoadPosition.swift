/// A place on a road: which road, how far along it, and how far it is from where we asked.
public struct RoadPosition: Hashable, Sendable, Codable {
    /// Index of the road in ``RoadNetwork/roads``.
    public var road: Int
    /// Metres from the road's start along its length (0…``RoadNetwork/Road/length``).
    public var offset: Double
    /// The place itself.
    public var point: GeoPoint
    /// Metres from the point that was asked about to ``point``.
    public var distance: Double

    public init(road: Int, offset: Double, point: GeoPoint, distance: Double) {
        self.road = road
        self.offset = offset
        self.point = point
        self.distance = distance
    }
}
