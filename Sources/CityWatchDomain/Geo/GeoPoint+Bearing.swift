#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GeoPoint {
    /// Compass bearing from this point to `other`, degrees clockwise from north in [0, 360).
    ///
    /// Measured in the local east/north plane at the mean latitude, the same approximation as
    /// ``Ellipsoid/distance(_:_:)``: exact enough for which way a camera looks at city scale.
    public func bearing(to other: GeoPoint) -> Double {
        let offset = LocalPlane(origin: self).offset(of: other)
        let degrees = atan2(offset.east, offset.north) * 180 / .pi
        return degrees < 0 ? degrees + 360 : degrees
    }
}

extension GeoPoint {
    /// The point `fraction` (0…1) of the way from this point to `other` along the straight
    /// line between them in degrees (for the few metres of a road segment, the same line).
    public func interpolated(to other: GeoPoint, fraction: Double) -> GeoPoint {
        GeoPoint(latitude: latitude + fraction * (other.latitude - latitude),
                 longitude: longitude + fraction * (other.longitude - longitude))
    }
}

/// Metres east and north of an origin, flattened at the origin's latitude.
///
/// Good to a fraction of a percent within a few kilometres, which is where the road and
/// camera geometry of one query lives; cheaper than a distance per point.
public struct LocalPlane: Sendable {
    public let origin: GeoPoint
    let metresNorth: Double
    let metresEast: Double

    public init(origin: GeoPoint) {
        self.origin = origin
        let scale = Ellipsoid.wgs84.metresPerDegree(atLatitude: origin.latitude)
        metresNorth = scale.north
        metresEast = scale.east
    }

    /// Where `point` lies from the origin, in metres.
    public func offset(of point: GeoPoint) -> (east: Double, north: Double) {
        ((point.longitude - origin.longitude) * metresEast, (point.latitude - origin.latitude) * metresNorth)
    }

    /// The point `east` and `north` metres from the origin.
    public func point(east: Double, north: Double) -> GeoPoint {
        GeoPoint(latitude: origin.latitude + north / metresNorth, longitude: origin.longitude + east / metresEast)
    }
}
