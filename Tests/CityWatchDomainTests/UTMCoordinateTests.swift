import CityWatchDomain
import PropertyBased
import Testing

@Suite("UTM ↔ WGS84")
struct UTMCoordinateTests {
    @Test func equatorOnTheCentralMeridianIsTheFalseOrigin() {
        let utm = UTMCoordinate(GeoPoint(latitude: 0, longitude: 129), zone: 52)
        #expect(abs(utm.easting - 500_000) < 1e-6)
        #expect(abs(utm.northing) < 1e-6)
    }

    /// On the central meridian the northing is 0.9996 × the meridian arc: 10,001,965.729 m to
    /// the pole and 4,984,944.378 m to 45° on WGS84 (standard geodetic tables).
    @Test func northingOnTheCentralMeridianIsTheScaledMeridianArc() {
        let pole = UTMCoordinate(GeoPoint(latitude: 90, longitude: 129), zone: 52)
        #expect(abs(pole.northing - 0.9996 * 10_001_965.729) < 0.01)
        let mid = UTMCoordinate(GeoPoint(latitude: 45, longitude: 129), zone: 52)
        #expect(abs(mid.northing - 0.9996 * 4_984_944.378) < 0.01)
    }

    /// Reference values from PROJ 9 (pyproj 3.7.2, `+proj=utm +zone=52 +ellps=WGS84`), an
    /// independent implementation: Gangnam station, Seoul City Hall, and the corners of the
    /// Gangnam SUMO network's origBoundary.
    @Test(arguments: [
        (127.0276, 37.4979, 325_645.5332, 4_151_935.6188),
        (126.9780, 37.5665, 321_424.2862, 4_159_640.6414),
        (127.014279, 37.482803, 324_432.5233, 4_150_285.2291),
        (127.08273, 37.534434, 330_601.9884, 4_155_888.6551),
    ])
    func seoulLandmarksMatchPROJ(longitude: Double, latitude: Double, easting: Double, northing: Double) {
        let utm = UTMCoordinate(GeoPoint(latitude: latitude, longitude: longitude), zone: 52)
        #expect(abs(utm.easting - easting) < 0.005)
        #expect(abs(utm.northing - northing) < 0.005)
        let back = UTMCoordinate(zone: 52, hemisphere: .north, easting: easting, northing: northing).geoPoint
        #expect(back.distance(to: GeoPoint(latitude: latitude, longitude: longitude)) < 0.005)
    }

    @Test func eastingsMirrorAcrossTheCentralMeridian() {
        let west = UTMCoordinate(GeoPoint(latitude: 37.5, longitude: 127), zone: 52)
        let east = UTMCoordinate(GeoPoint(latitude: 37.5, longitude: 131), zone: 52)
        #expect(abs((west.easting - 500_000) + (east.easting - 500_000)) < 1e-6)
        #expect(abs(west.northing - east.northing) < 1e-6)
    }

    @Test func southernHemisphereCountsFromTenThousandKilometres() {
        let utm = UTMCoordinate(GeoPoint(latitude: -0.000001, longitude: 129), zone: 52)
        #expect(utm.hemisphere == .south)
        #expect(abs(utm.northing - 10_000_000) < 1)
        #expect(abs(utm.geoPoint.latitude - -0.000001) < 1e-9)
    }

    @Test func zoneOfLongitude() {
        #expect(UTMCoordinate.zone(ofLongitude: 127.03) == 52)
        #expect(UTMCoordinate.zone(ofLongitude: -180) == 1)
        #expect(UTMCoordinate.zone(ofLongitude: 180) == 60)
        #expect(UTMCoordinate.centralMeridian(ofZone: 52) == 129)
    }

    @Test func roundTripReturnsThePoint() async {
        await propertyCheck(count: 300, input: Gen.double(in: -80...84), Gen.double(in: -4...4), Gen.int(in: 1...60)) { latitude, dLon, zone in
            let point = GeoPoint(latitude: latitude, longitude: UTMCoordinate.centralMeridian(ofZone: zone) + dLon)
            let back = UTMCoordinate(point, zone: zone).geoPoint
            #expect(back.distance(to: point) < 0.001)
        }
    }
}
