/// A latitude/longitude rectangle, as drawn on a map or sent as `bbox=S,W,N,E`.
public struct GeoBoundingBox: Hashable, Sendable, Codable {
    public var south: Double
    public var west: Double
    public var north: Double
    public var east: Double

    /// Why a bounding box could not be made.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The text did not hold four comma-separated numbers.
        case notFourNumbers(String)
        /// South is above north, west is right of east, or a value is out of range.
        case invalid(south: Double, west: Double, north: Double, east: Double)

        public var description: String {
            switch self {
            case .notFourNumbers(let text):
                return "bbox '\(text)' must be four numbers: south,west,north,east"
            case let .invalid(s, w, n, e):
                return "bbox \(s),\(w),\(n),\(e) is not a box: need −90 ≤ south ≤ north ≤ 90 and −180 ≤ west ≤ east ≤ 180"
            }
        }
    }

    public init(south: Double, west: Double, north: Double, east: Double) throws(Problem) {
        guard south.isFinite, west.isFinite, north.isFinite, east.isFinite,
              -90 <= south, south <= north, north <= 90,
              -180 <= west, west <= east, east <= 180
        else { throw .invalid(south: south, west: west, north: north, east: east) }
        self.south = south
        self.west = west
        self.north = north
        self.east = east
    }

    /// Parses `south,west,north,east`.
    public init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Double($0.trimmingSpaces) }
        guard parts.count == 4, let s = parts[0], let w = parts[1], let n = parts[2], let e = parts[3]
        else { throw .notFourNumbers(text) }
        try self.init(south: s, west: w, north: n, east: e)
    }

    /// True when `point` lies inside or on the edge of the box.
    public func contains(_ point: GeoPoint) -> Bool {
        point.latitude >= south && point.latitude <= north
            && point.longitude >= west && point.longitude <= east
    }

    /// The smallest box around a circle of `radius` metres at `centre`.
    public static func around(_ centre: GeoPoint, radius: Double) -> (south: Double, west: Double, north: Double, east: Double) {
        let scale = Ellipsoid.wgs84.metresPerDegree(atLatitude: centre.latitude)
        // Widen by the larger of the two edge latitudes' scales: east-west degrees per metre grow
        // away from the equator, so use the latitude edge nearest a pole.
        // The meridian radius changes a little with latitude: pad by 0.1 % so the box always
        // holds the whole circle as `Ellipsoid.distance` measures it.
        let dLat = radius / scale.north * 1.001
        let poleward = min(89.9, abs(centre.latitude) + dLat)
        let eastScale = Ellipsoid.wgs84.metresPerDegree(atLatitude: poleward).east
        let dLon = radius / max(eastScale, 1e-9) * 1.001
        return (centre.latitude - dLat, centre.longitude - dLon, centre.latitude + dLat, centre.longitude + dLon)
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
