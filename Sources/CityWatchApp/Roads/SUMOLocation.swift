import CityWatchDomain
import Foundation

/// A SUMO file's `<location>`: how its x/y metres map to the earth.
///
/// SUMO stores projected coordinates shifted by `netOffset` so that the network starts near
/// (0, 0); subtracting the offset gives back the projection's own easting and northing.
public struct SUMOLocation: Hashable, Sendable {
    /// Added to projected coordinates to get the file's x/y.
    public var netOffset: (x: Double, y: Double)
    public var zone: Int
    public var hemisphere: UTMCoordinate.Hemisphere
    /// The lon/lat box of the original data (`origBoundary`), when given.
    public var originalBoundary: GeoBoundingBox?

    public static func == (a: SUMOLocation, b: SUMOLocation) -> Bool {
        a.netOffset == b.netOffset && a.zone == b.zone && a.hemisphere == b.hemisphere && a.originalBoundary == b.originalBoundary
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(netOffset.x)
        hasher.combine(netOffset.y)
        hasher.combine(zone)
    }

    /// The WGS84 point of file coordinates (x, y).
    public func geoPoint(x: Double, y: Double) -> GeoPoint {
        UTMCoordinate(zone: zone, hemisphere: hemisphere, easting: x - netOffset.x, northing: y - netOffset.y).geoPoint
    }

    /// Reads the element's attributes.
    init(attributes: [String: String], line: Int) throws(SUMONetworkError) {
        let projection = attributes["projParameter"] ?? ""
        guard let utm = Self.utmZone(projection) else { throw .unsupportedProjection(line: line, projection: projection) }
        guard let offset = Self.pair(attributes["netOffset"] ?? "0,0") else {
            throw .badLocation(line: line, attribute: "netOffset", value: attributes["netOffset"] ?? "")
        }
        netOffset = offset
        zone = utm.zone
        hemisphere = utm.hemisphere
        if let text = attributes["origBoundary"] {
            let numbers = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            // origBoundary is west,south,east,north in degrees for a projected network.
            if numbers.count == 4 { originalBoundary = try? GeoBoundingBox(south: numbers[1], west: numbers[0], north: numbers[3], east: numbers[2]) }
        }
    }

    /// The zone of a PROJ string for UTM on WGS84 (`+proj=utm +zone=52 +ellps=WGS84 …`).
    static func utmZone(_ projection: String) -> (zone: Int, hemisphere: UTMCoordinate.Hemisphere)? {
        var parameters: [String: String] = [:]
        for token in projection.split(whereSeparator: \.isWhitespace) where token.hasPrefix("+") {
            let parts = token.dropFirst().split(separator: "=", maxSplits: 1)
            parameters[String(parts[0]).lowercased()] = parts.count > 1 ? String(parts[1]) : ""
        }
        guard parameters["proj"]?.lowercased() == "utm", let zone = parameters["zone"].flatMap({ Int($0) }), (1...60).contains(zone)
        else { return nil }
        for key in ["ellps", "datum"] {
            if let value = parameters[key], value.uppercased() != "WGS84" { return nil }
        }
        return (zone, parameters["south"] != nil ? .south : .north)
    }

    /// "x,y" as two numbers.
    static func pair(_ text: String) -> (x: Double, y: Double)? {
        let parts = text.split(separator: ",")
        guard parts.count >= 2, let x = Double(parts[0].trimmingCharacters(in: .whitespaces)),
              let y = Double(parts[1].trimmingCharacters(in: .whitespaces)), x.isFinite, y.isFinite else { return nil }
        return (x, y)
    }
}
