import Foundation

extension SearchQuery {
    /// Why a query cannot be run: the field and what is wrong with it.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var field: String
        public var reason: String

        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }

        public var description: String { "\(field): \(reason)" }
    }

    /// The query, or the first thing wrong with it.
    public func validated() throws(Problem) -> SearchQuery {
        guard from < to else { throw Problem(field: "to", reason: "must be after from") }
        if let region {
            do { _ = try region.validated() } catch { throw Problem(field: "region", reason: error.description) }
        }
        if let line {
            do { _ = try line.validated() } catch { throw Problem(field: "line", reason: error.description) }
        }
        if crossing != nil, line == nil { throw Problem(field: "crossing", reason: "needs a line to cross") }
        if let dwellSeconds {
            guard region != nil else { throw Problem(field: "dwellSeconds", reason: "needs a region to stay in") }
            guard dwellSeconds.isFinite, dwellSeconds > 0, dwellSeconds <= 86_400 else {
                throw Problem(field: "dwellSeconds", reason: "must be between 0 and 86400 seconds, got \(dwellSeconds)")
            }
        }
        if let direction {
            for (name, value) in [("direction.from", direction.from), ("direction.to", direction.to)] where !(value.isFinite && (-360...720).contains(value)) {
                throw Problem(field: name, reason: "must be an angle in degrees (0 = up, 90 = right), got \(value)")
            }
        }
        if let size {
            guard size.minimum.isFinite, size.maximum.isFinite, size.minimum >= 0, size.maximum <= 1, size.minimum <= size.maximum else {
                throw Problem(field: "size", reason: "minimum and maximum are heights as fractions of the picture, 0 ≤ minimum ≤ maximum ≤ 1")
            }
        }
        if let classes, classes.isEmpty { throw Problem(field: "classes", reason: "name at least one class, or leave it out") }
        if let colors, colors.isEmpty { throw Problem(field: "colors", reason: "name at least one colour, or leave it out") }
        if let area = cameras.area {
            guard area.count >= 3 else { throw Problem(field: "cameras.area", reason: "a map area needs at least 3 corners, got \(area.count)") }
            for (index, point) in area.enumerated() where !point.isValid {
                throw Problem(field: "cameras.area", reason: "corner \(index + 1) (\(point.latitude), \(point.longitude)) is not a place on Earth")
            }
        }
        if let ids = cameras.ids, ids.isEmpty { throw Problem(field: "cameras.ids", reason: "name at least one camera, or leave it out") }
        guard (1...Self.maximumLimit).contains(limit) else {
            throw Problem(field: "limit", reason: "must be 1…\(Self.maximumLimit), got \(limit)")
        }
        guard (0...Self.maximumOffset).contains(offset) else {
            throw Problem(field: "offset", reason: "must be 0…\(Self.maximumOffset), got \(offset); narrow the query instead")
        }
        return self
    }
}
