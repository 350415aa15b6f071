import CityWatchDomain
import Foundation

/// `GET /api/roads` answer: a GeoJSON FeatureCollection (RFC 7946) of LineStrings, coordinates
/// `[longitude, latitude]` rounded to 6 decimals (about 0.1 m).
struct RoadFeatureCollection: Encodable {
    /// One street.
    struct Feature: Encodable {
        /// What the console needs to style and label a line.
        struct Properties: Encodable {
            /// The source's road id(s), comma-separated (two for a two-way street).
            var id: String
            /// `all`, `cars`, `pedestrians` or `none` (rail, bus lanes).
            var access: String
        }

        struct Geometry: Encodable {
            var type = "LineString"
            var coordinates: [[Double]]
        }

        var type = "Feature"
        var properties: Properties
        var geometry: Geometry
    }

    var type = "FeatureCollection"
    var features: [Feature]

    init(_ map: RoadMap) {
        features = map.lines.map { line in
            Feature(properties: .init(id: line.roadIDs.joined(separator: ","), access: Self.name(line.access)),
                    geometry: .init(coordinates: line.points.map { [Self.rounded($0.longitude), Self.rounded($0.latitude)] }))
        }
    }

    static func rounded(_ degrees: Double) -> Double {
        (degrees * 1e6).rounded() / 1e6
    }

    static func name(_ access: RoadAccess) -> String {
        switch access {
        case .everyone: "all"
        case .cars: "cars"
        case .pedestrians: "pedestrians"
        default: "none"
        }
    }
}
