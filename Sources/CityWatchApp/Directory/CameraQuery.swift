import CityWatchDomain
import Foundation

/// A question about cameras: where (radius, nearest, box), which purposes, which words, which page.
public struct CameraQuery: Sendable, Equatable {
    /// The area part of a query.
    public enum Area: Sendable, Equatable {
        case everywhere
        /// Within `metres` of `centre`, nearest first.
        case radius(centre: GeoPoint, metres: Double)
        /// The `count` cameras nearest to `centre`.
        case nearest(centre: GeoPoint, count: Int)
        case box(GeoBoundingBox)
    }

    public var area: Area = .everywhere
    /// Purpose codes; empty means any.
    public var purposes: Set<String> = []
    /// Words that must appear in the address, agency, view direction or name.
    public var text: String?
    public var offset = 0
    public var limit = 100

    /// The most a page may hold.
    public static let maximumLimit = 1_000

    public init(area: Area = .everywhere, purposes: Set<String> = [], text: String? = nil, offset: Int = 0, limit: Int = 100) {
        self.area = area
        self.purposes = purposes
        self.text = text
        self.offset = offset
        self.limit = limit
    }

    /// One answer.
    public struct Hit: Sendable {
        public var camera: Camera
        public var site: Site
        /// Metres from the query's centre, for radius and nearest queries.
        public var distance: Double?
    }

    /// Runs the query on `snapshot` within `scope`: the requested page and the total.
    public func run(on snapshot: CameraDirectory.Snapshot, scope: CameraScope) -> (hits: [Hit], total: Int) {
        let needle = text?.lowercased().trimmingCharacters(in: .whitespaces) ?? ""
        func matches(_ i: Int) -> Bool {
            let camera = snapshot.cameras[i]
            guard scope.contains(camera.id) else { return false }
            let site = snapshot.siteOfCamera[i]
            if !purposes.isEmpty && !purposes.contains(site.record.purpose.code) { return false }
            if !needle.isEmpty {
                let haystack = [site.record.roadAddress, site.record.lotAddress, site.record.agency,
                                site.record.viewDirection, camera.name ?? "", site.record.purpose.koreanName]
                guard haystack.contains(where: { $0.lowercased().contains(needle) }) else { return false }
            }
            return true
        }
        var found: [(index: Int, distance: Double?)]
        let start = max(0, offset), pageSize = max(0, min(limit, Self.maximumLimit))
        switch area {
        case .everywhere where scope.allowed == nil && purposes.isEmpty && needle.isEmpty:
            // The whole registry, unfiltered: the page is a slice.
            let end = min(start + pageSize, snapshot.cameras.count)
            let page = start < end ? (start..<end).map { Hit(camera: snapshot.cameras[$0], site: snapshot.siteOfCamera[$0], distance: nil) } : []
            return (page, snapshot.cameras.count)
        case .everywhere:
            // A filtered table page: count every match but keep only the page.
            var total = 0
            var page: [Hit] = []
            for i in snapshot.cameras.indices where matches(i) {
                if total >= start && page.count < pageSize {
                    let camera = snapshot.cameras[i]
                    page.append(Hit(camera: camera, site: snapshot.siteOfCamera[i], distance: nil))
                }
                total += 1
            }
            return (page, total)
        case let .radius(centre, metres):
            found = snapshot.spatialIndex.within(radius: metres, of: centre).filter { matches($0.id) }.map { ($0.id, $0.distance) }
        case let .box(box):
            found = snapshot.spatialIndex.inside(box).filter(matches).map { ($0, nil) }
        case let .nearest(centre, count):
            // Widen the radius until enough of the user's cameras are inside it.
            found = []
            var radius = 250.0
            while found.count < count && radius < 50_000_000 {
                found = snapshot.spatialIndex.within(radius: radius, of: centre).filter { matches($0.id) }.map { ($0.id, $0.distance) }
                radius *= 2
            }
            found = Array(found.prefix(count))
        }
        let total = found.count
        let first = min(start, total)
        let end = min(first + pageSize, total)
        let hits = found[first..<end].map { item in
            Hit(camera: snapshot.cameras[item.index], site: snapshot.siteOfCamera[item.index], distance: item.distance)
        }
        return (hits, total)
    }
}
