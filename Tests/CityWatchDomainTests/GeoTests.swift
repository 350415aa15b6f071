import CityWatchDomain
import Foundation
import PropertyBased
import Testing

@Suite("Geography")
struct GeoTests {
    @Test func distanceMatchesGeodesicWithinHalfAPercentAcrossACity() async {
        await propertyCheck(count: 300, input: Gen.double(in: 33.0...38.6), Gen.double(in: 124.6...131.0),
                            Gen.double(in: -0.25...0.25), Gen.double(in: -0.25...0.25)) { lat, lon, dLat, dLon in
            let a = GeoPoint(latitude: lat, longitude: lon)
            let b = GeoPoint(latitude: lat + dLat, longitude: lon + dLon)
            let reference = vincentyDistance(a, b)
            guard reference > 1 else { return }
            let error = abs(a.distance(to: b) - reference) / reference
            #expect(error < 0.005, "distance \(a.distance(to: b)) vs geodesic \(reference)")
        }
    }

    @Test func knownDistanceFromCityHallToGangnamStation() {
        // Seoul City Hall to Gangnam Station: about 8.9 km on the ellipsoid.
        let cityHall = GeoPoint(latitude: 37.566535, longitude: 126.977969)
        let gangnam = GeoPoint(latitude: 37.497942, longitude: 127.027621)
        let reference = vincentyDistance(cityHall, gangnam)
        #expect(abs(cityHall.distance(to: gangnam) - reference) < 0.005 * reference)
        #expect((8_000...10_000).contains(reference))
    }

    @Test func boundingBoxParsesAndRejectsNonBoxes() throws {
        let box = try GeoBoundingBox(parsing: "37.49, 127.01,37.53,127.08")
        #expect(box.contains(GeoPoint(latitude: 37.5, longitude: 127.05)))
        #expect(!box.contains(GeoPoint(latitude: 37.48, longitude: 127.05)))
        #expect(throws: GeoBoundingBox.Problem.notFourNumbers("1,2,3")) { try GeoBoundingBox(parsing: "1,2,3") }
        #expect(throws: GeoBoundingBox.Problem.self) { try GeoBoundingBox(parsing: "37.6,127,37.5,128") }
        #expect(throws: GeoBoundingBox.Problem.self) { try GeoBoundingBox(parsing: "37,200,38,201") }
        #expect(throws: GeoBoundingBox.Problem.self) { try GeoBoundingBox(parsing: "nan,1,2,3") }
    }
}

/// Vincenty's inverse formula on WGS84: the geodesic reference the approximation is held to.
func vincentyDistance(_ p: GeoPoint, _ q: GeoPoint) -> Double {
    let a = 6_378_137.0, f = 1 / 298.257_223_563, b = a * (1 - f)
    let L = (q.longitude - p.longitude) * .pi / 180
    let U1 = atan((1 - f) * tan(p.latitude * .pi / 180)), U2 = atan((1 - f) * tan(q.latitude * .pi / 180))
    let sinU1 = sin(U1), cosU1 = cos(U1), sinU2 = sin(U2), cosU2 = cos(U2)
    var lambda = L, sigma = 0.0, sinSigma = 0.0, cosSigma = 0.0, cos2SigmaM = 0.0, cosSqAlpha = 0.0
    for _ in 0..<200 {
        let sinLambda = sin(lambda), cosLambda = cos(lambda)
        sinSigma = sqrt(pow(cosU2 * sinLambda, 2) + pow(cosU1 * sinU2 - sinU1 * cosU2 * cosLambda, 2))
        if sinSigma == 0 { return 0 }
        cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda
        sigma = atan2(sinSigma, cosSigma)
        let sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma
        cosSqAlpha = 1 - sinAlpha * sinAlpha
        cos2SigmaM = cosSqAlpha == 0 ? 0 : cosSigma - 2 * sinU1 * sinU2 / cosSqAlpha
        let C = f / 16 * cosSqAlpha * (4 + f * (4 - 3 * cosSqAlpha))
        let previous = lambda
        lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
        if abs(lambda - previous) < 1e-12 { break }
    }
    let uSq = cosSqAlpha * (a * a - b * b) / (b * b)
    let A = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)))
    let B = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)))
    let deltaSigma = B * sinSigma * (cos2SigmaM + B / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
        - B / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
    return b * A * (sigma - deltaSigma)
}
