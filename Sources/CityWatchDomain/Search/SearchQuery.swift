import Foundation

/// A smart-search question: which cameras, when, and what on the picture.
///
/// With only a `region` (or nothing) it asks for **motion**: the seconds in which any grid cell
/// the region touches moved. With any object criterion (class, colour, direction, line, dwell,
/// size) it asks for **tracked objects** meeting all of them, inside the region when one is given.
public struct SearchQuery: Codable, Sendable, Hashable {
    /// Which cameras: the union of a list, purposes and an area drawn on the map; none of the
    /// three means every camera the user may see.
    public struct Cameras: Codable, Sendable, Hashable {
        public var ids: [UUID]?
        /// Purpose codes (`crimePrevention`, `childProtection`, …).
        public var purposes: [String]?
        /// A polygon on the map (at least 3 corners).
        public var area: [GeoPoint]?

        public init(ids: [UUID]? = nil, purposes: [String]? = nil, area: [GeoPoint]? = nil) {
            self.ids = ids
            self.purposes = purposes
            self.area = area
        }

        /// True when no camera criterion is given (every visible camera).
        public var isEverything: Bool { ids == nil && purposes == nil && area == nil }
    }

    /// Directions of travel from `from` clockwise to `to`, in degrees (0 = up the picture,
    /// 90 = right); `from` 300, `to` 60 is the 120° fan around "up".
    public struct DirectionRange: Codable, Sendable, Hashable {
        public var from: Double
        public var to: Double

        public init(from: Double, to: Double) {
            self.from = from
            self.to = to
        }

        public func contains(_ degrees: Double) -> Bool {
            if to - from >= 360 { return true }
            let width = (to - from).truncatingRemainder(dividingBy: 360).positiveDegrees
            let offset = (degrees - from).truncatingRemainder(dividingBy: 360).positiveDegrees
            return offset <= width
        }
    }

    /// Object heights as fractions of the picture's height.
    public struct SizeRange: Codable, Sendable, Hashable {
        public var minimum: Double
        public var maximum: Double

        public init(minimum: Double = 0, maximum: Double = 1) {
            self.minimum = minimum
            self.maximum = maximum
        }
    }

    /// How episodes are ordered.
    public enum Order: String, Codable, Sendable, Hashable, CaseIterable {
        /// Newest first.
        case time
        /// Most motion or most matching objects first.
        case relevance
    }

    public var cameras: Cameras
    public var from: Date
    public var to: Date
    public var region: ImagePolygon?
    public var classes: Set<ObjectClass>?
    public var colors: Set<ColorName>?
    public var direction: DirectionRange?
    public var line: ImageLine?
    /// Which way the line must be crossed (with `line`; default either way).
    public var crossing: CrossingDirection?
    /// Seconds an object must stay in the region without leaving it.
    public var dwellSeconds: Double?
    public var size: SizeRange?
    public var order: Order
    public var limit: Int
    public var offset: Int

    public init(cameras: Cameras = Cameras(), from: Date, to: Date, region: ImagePolygon? = nil, classes: Set<ObjectClass>? = nil,
                colors: Set<ColorName>? = nil, direction: DirectionRange? = nil, line: ImageLine? = nil,
                crossing: CrossingDirection? = nil, dwellSeconds: Double? = nil, size: SizeRange? = nil,
                order: Order = .time, limit: Int = 50, offset: Int = 0) {
        self.cameras = cameras
        self.from = from
        self.to = to
        self.region = region
        self.classes = classes
        self.colors = colors
        self.direction = direction
        self.line = line
        self.crossing = crossing
        self.dwellSeconds = dwellSeconds
        self.size = size
        self.order = order
        self.limit = limit
        self.offset = offset
    }

    /// True when the query is about tracked objects rather than motion.
    public var asksForObjects: Bool {
        classes != nil || colors != nil || direction != nil || line != nil || dwellSeconds != nil || size != nil
    }

    /// The most episodes one page may hold.
    public static let maximumLimit = 500
    /// The most episodes one export (CSV) holds.
    public static let maximumExportLimit = 10_000
    /// The deepest a page may start (narrow the query instead of paging further).
    public static let maximumOffset = 10_000
}

extension Double {
    /// The angle brought into 0..<360.
    var positiveDegrees: Double { self < 0 ? self + 360 : self }
}
