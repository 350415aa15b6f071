/// Why one row of a registry file was not imported. The import goes on with the next row.
public enum RegistryRowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The row has `found` fields where the header has `expected`.
    case wrongFieldCount(found: Int, expected: Int)
    /// The latitude or longitude field is empty.
    case missingCoordinate(RegistryColumn)
    /// The latitude or longitude is not a number.
    case badCoordinate(RegistryColumn, text: String)
    /// The position is a number but not a place the registry can hold.
    case coordinateOutOfRange(latitude: Double, longitude: Double, bounds: RegistryBounds)
    /// 카메라대수 is empty, not a whole number, zero, negative or absurdly large.
    case badCameraCount(text: String)
    /// A field is text in neither UTF-8 nor CP949.
    case undecodableText(field: Int)
    /// The reader could not split the row into fields.
    case unreadable(CSVTokenizer.Problem)

    public var description: String {
        switch self {
        case let .wrongFieldCount(found, expected):
            return "has \(found) fields, the header has \(expected)"
        case .missingCoordinate(let column):
            return "\(column.standardName) (\(column == .latitude ? "latitude" : "longitude")) is empty"
        case let .badCoordinate(column, text):
            return "\(column.standardName) (\(column == .latitude ? "latitude" : "longitude")) '\(text.prefix(40))' is not a number"
        case let .coordinateOutOfRange(latitude, longitude, bounds):
            if latitude == 0 && longitude == 0 { return "position 0,0 is a placeholder, not a place" }
            if bounds.contains(latitude: longitude, longitude: latitude) {
                return "latitude \(latitude), longitude \(longitude) is outside \(bounds.name); latitude and longitude look swapped"
            }
            return "latitude \(latitude), longitude \(longitude) is outside \(bounds.name) (\(bounds.south)–\(bounds.north) N, \(bounds.west)–\(bounds.east) E)"
        case .badCameraCount(let text):
            return text.isEmpty ? "카메라대수 (camera count) is empty"
                : "카메라대수 (camera count) '\(text.prefix(40))' is not a whole number from 1 to \(RegistryRowParser.maxCamerasPerSite)"
        case .undecodableText(let field):
            return "field \(field) is neither UTF-8 nor CP949 text"
        case .unreadable(let problem):
            return problem.description
        }
    }
}

/// The area registry positions must fall in.
public struct RegistryBounds: Equatable, Sendable {
    public var name: String
    public var south: Double
    public var north: Double
    public var west: Double
    public var east: Double

    /// South Korea, from Marado to the DMZ and from the Yellow Sea islands to Dokdo.
    public static let korea = RegistryBounds(name: "South Korea", south: 32.9, north: 38.7, west: 124.5, east: 132.0)
    /// The whole globe, for registries from elsewhere.
    public static let world = RegistryBounds(name: "the globe", south: -90, north: 90, west: -180, east: 180)

    public init(name: String, south: Double, north: Double, west: Double, east: Double) {
        self.name = name
        self.south = south
        self.north = north
        self.west = west
        self.east = east
    }

    /// True when the position lies inside.
    public func contains(latitude: Double, longitude: Double) -> Bool {
        (south...north).contains(latitude) && (west...east).contains(longitude)
    }
}
