/// A position on the earth in WGS84 degrees, as the national CCTV registry and every map use.
public struct GeoPoint: Hashable, Sendable, Codable {
    /// Degrees north of the equator, −90…90.
    public var latitude: Double
    /// Degrees east of Greenwich, −180…180.
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// True when both coordinates are finite and inside their ranges.
    public var isValid: Bool {
        latitude.isFinite && longitude.isFinite
            && (-90...90).contains(latitude) && (-180...180).contains(longitude)
    }

    /// Distance in metres to `other` on the WGS84 ellipsoid approximation (see ``Ellipsoid``).
    public func distance(to other: GeoPoint) -> Double {
        Ellipsoid.wgs84.distance(self, other)
    }
}
