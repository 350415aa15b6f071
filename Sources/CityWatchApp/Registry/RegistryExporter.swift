import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// Writes the registry out as CSV (the current 18-column national layout, UTF-8) or GeoJSON.
///
/// Reads the store a page at a time and hands out text as it goes, so an export of any size
/// needs the memory of one page.
public struct RegistryExporter: Sendable {
    /// The file formats.
    public enum Format: String, Sendable, CaseIterable {
        case csv, geojson

        /// The MIME type of the format.
        public var contentType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8"
            case .geojson: "application/geo+json"
            }
        }
    }

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Writes the whole registry through `write`; returns the number of sites written.
    @discardableResult
    public func export(_ format: Format, write: (String) async throws -> Void) async throws -> Int {
        let repository = RegistryRepository(database: database)
        var count = 0
        switch format {
        case .csv:
            // The byte-order mark makes Korean spreadsheet programs read UTF-8 correctly.
            try await write("\u{FEFF}" + RegistryCSVWriter.header + "\r\n")
            try await repository.forEachSitePage { sites in
                var text = ""
                for site in sites { text += RegistryCSVWriter.line(for: site.record) + "\r\n" }
                count += sites.count
                try await write(text)
            }
        case .geojson:
            try await write("{\"type\":\"FeatureCollection\",\"features\":[\n")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try await repository.forEachSitePage { sites in
                var text = ""
                for site in sites {
                    let feature = GeoJSONFeature(site: site)
                    text += (count == 0 ? "" : ",\n") + String(decoding: try encoder.encode(feature), as: UTF8.self)
                    count += 1
                }
                try await write(text)
            }
            try await write("\n]}\n")
        }
        return count
    }
}

/// One site as a GeoJSON point feature; properties carry every registry field.
struct GeoJSONFeature: Encodable {
    struct Geometry: Encodable {
        var type = "Point"
        var coordinates: [Double]
    }

    var type = "Feature"
    var id: String
    var geometry: Geometry
    var properties: [String: String]

    init(site: Site) {
        id = site.id.uuidString.lowercased()
        geometry = Geometry(coordinates: [site.record.longitude, site.record.latitude])
        var properties: [String: String] = [:]
        for column in RegistryColumn.currentLayout where column != .latitude && column != .longitude {
            properties[column.standardName] = RegistryCSVWriter.value(site.record, column)
        }
        properties["purpose"] = site.record.purpose.code
        properties["registryKey"] = site.registryKey
        self.properties = properties
    }
}
