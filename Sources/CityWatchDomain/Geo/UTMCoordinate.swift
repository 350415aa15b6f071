#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A position in the Universal Transverse Mercator grid: metres east and north in one
/// 6°-wide zone, as road networks (SUMO, national GIS layers) store them.
///
/// The conversions are the transverse Mercator projection on the WGS84 ellipsoid in Krüger's
/// series in the third flattening n (three terms), the form used by the UTM standard. Within
/// a zone and a few degrees beyond it they agree with exact geodesic projection to about a
/// millimetre, which is far below what a city map needs.
public struct UTMCoordinate: Hashable, Sendable, Codable {
    /// Which half of the earth the northing counts from: the equator (north) or 10,000 km
    /// south of it (south), so that northings are never negative.
    public enum Hemisphere: String, Hashable, Sendable, Codable {
        case north
        case south
    }

    /// The zone, 1…60; zone z is centred on longitude 6z − 183°. Gangnam is in zone 52 (129° E).
    public var zone: Int
    public var hemisphere: Hemisphere
    /// Metres east, with the zone's central meridian at 500,000 m.
    public var easting: Double
    /// Metres north of the equator (north) or of 10,000 km south of it (south).
    public var northing: Double

    public init(zone: Int, hemisphere: Hemisphere, easting: Double, northing: Double) {
        self.zone = zone
        self.hemisphere = hemisphere
        self.easting = easting
        self.northing = northing
    }

    /// Projects `point` into `zone` (the zone need not be the point's own: a network drawn in
    /// one zone keeps it across a zone border).
    public init(_ point: GeoPoint, zone: Int, hemisphere: Hemisphere? = nil) {
        let series = KruegerSeries.wgs84
        let hemisphere = hemisphere ?? (point.latitude >= 0 ? .north : .south)
        let phi = point.latitude * .pi / 180
        let dLambda = (point.longitude - Self.centralMeridian(ofZone: zone)) * .pi / 180
        let sinPhi = sin(phi)
        let c = 2 * series.n.squareRoot() / (1 + series.n)
        let t = sinh(atanh(sinPhi) - c * atanh(c * sinPhi))
        let xiPrime = atan2(t, cos(dLambda))
        let etaPrime = atanh(sin(dLambda) / (1 + t * t).squareRoot())
        var xi = xiPrime, eta = etaPrime
        for (j, alpha) in series.alpha.enumerated() {
            let k = Double(2 * (j + 1))
            xi += alpha * sin(k * xiPrime) * cosh(k * etaPrime)
            eta += alpha * cos(k * xiPrime) * sinh(k * etaPrime)
        }
        self.zone = zone
        self.hemisphere = hemisphere
        self.easting = Self.falseEasting + Self.scale * series.rectifyingRadius * eta
        self.northing = (hemisphere == .south ? Self.southFalseNorthing : 0) + Self.scale * series.rectifyingRadius * xi
    }

    /// The WGS84 latitude and longitude of this grid position.
    public var geoPoint: GeoPoint {
        let series = KruegerSeries.wgs84
        let xi = (northing - (hemisphere == .south ? Self.southFalseNorthing : 0)) / (Self.scale * series.rectifyingRadius)
        let eta = (easting - Self.falseEasting) / (Self.scale * series.rectifyingRadius)
        var xiPrime = xi, etaPrime = eta
        for (j, beta) in series.beta.enumerated() {
            let k = Double(2 * (j + 1))
            xiPrime -= beta * sin(k * xi) * cosh(k * eta)
            etaPrime -= beta * cos(k * xi) * sinh(k * eta)
        }
        let chi = asin(sin(xiPrime) / cosh(etaPrime))
        var phi = chi
        for (j, delta) in series.delta.enumerated() {
            phi += delta * sin(Double(2 * (j + 1)) * chi)
        }
        let lambda = atan2(sinh(etaPrime), cos(xiPrime))
        return GeoPoint(latitude: phi * 180 / .pi,
                        longitude: Self.centralMeridian(ofZone: zone) + lambda * 180 / .pi)
    }

    /// The zone whose 6° band holds `longitude` (no Norway or Svalbard exceptions).
    public static func zone(ofLongitude longitude: Double) -> Int {
        min(60, max(1, Int(((longitude + 180) / 6).rounded(.down)) + 1))
    }

    /// Longitude of the zone's central meridian in degrees.
    public static func centralMeridian(ofZone zone: Int) -> Double {
        Double(6 * zone - 183)
    }

    /// Scale on the central meridian.
    static let scale = 0.9996
    static let falseEasting = 500_000.0
    static let southFalseNorthing = 10_000_000.0
}

/// The coefficients of Krüger's series for one ellipsoid, computed once.
struct KruegerSeries: Sendable {
    /// Third flattening f / (2 − f).
    let n: Double
    /// The rectifying radius A: a quarter meridian is A·π/2.
    let rectifyingRadius: Double
    /// Forward (geographic → grid) coefficients.
    let alpha: [Double]
    /// Inverse (grid → conformal latitude) coefficients.
    let beta: [Double]
    /// Conformal → geographic latitude coefficients.
    let delta: [Double]

    static let wgs84 = KruegerSeries(semiMajorAxis: 6_378_137.0, flattening: 1 / 298.257_223_563)

    init(semiMajorAxis a: Double, flattening f: Double) {
        let n = f / (2 - f)
        let n2 = n * n, n3 = n2 * n
        self.n = n
        self.rectifyingRadius = a / (1 + n) * (1 + n2 / 4 + n2 * n2 / 64)
        self.alpha = [n / 2 - 2 * n2 / 3 + 5 * n3 / 16, 13 * n2 / 48 - 3 * n3 / 5, 61 * n3 / 240]
        self.beta = [n / 2 - 2 * n2 / 3 + 37 * n3 / 96, n2 / 48 + n3 / 15, 17 * n3 / 480]
        self.delta = [2 * n - 2 * n2 / 3 - 2 * n3, 7 * n2 / 3 - 8 * n3 / 5, 56 * n3 / 15]
    }
}
