/// A grid index over fixed points for radius, box and k-nearest queries.
///
/// Points are bucketed into cells of about `cellMetres` on a side and stored sorted by
/// (row, column), so the cells of one grid row that a query touches are one contiguous run
/// found by two binary searches. A 500 m radius query over 100,000 cameras reads a handful of
/// runs and measures distance only for the few hundred points in them.
///
/// Budget: a 500 m radius query over 100,000 city cameras ≤ 1 ms p99 (see BENCHMARKS.md).
/// The index is immutable; rebuild it when the registry changes. Longitudes are not wrapped at
/// ±180°, which no city needs.
public struct SpatialIndex: Sendable {
    /// Entries are identified by an integer the caller maps to its own values (an array index).
    public typealias ID = Int

    /// One answer: the entry, where it is and how far from the query point (metres).
    public struct Hit: Sendable {
        public var id: ID
        public var point: GeoPoint
        public var distance: Double
    }

    private let ids: [ID]
    private let latitudes: [Double]
    private let longitudes: [Double]
    private let cellKeys: [Int64]
    private let cellLatitude: Double
    private let cellLongitude: Double

    /// Number of indexed points.
    public var count: Int { ids.count }

    /// Builds the index. Entries with invalid coordinates are left out.
    public init(_ entries: [(id: ID, point: GeoPoint)], cellMetres: Double = 250) {
        let valid = entries.filter { $0.point.isValid }
        let meanLatitude = valid.isEmpty ? 0 : valid.reduce(0) { $0 + $1.point.latitude } / Double(valid.count)
        let scale = Ellipsoid.wgs84.metresPerDegree(atLatitude: meanLatitude)
        let cellLatitude = cellMetres / scale.north
        let cellLongitude = cellMetres / max(scale.east, 1)
        let keyed = valid.map { entry in
            (key: Self.key(row: Self.cell(entry.point.latitude, cellLatitude),
                           column: Self.cell(entry.point.longitude, cellLongitude)),
             entry: entry)
        }.sorted { $0.key < $1.key }
        self.ids = keyed.map(\.entry.id)
        self.latitudes = keyed.map(\.entry.point.latitude)
        self.longitudes = keyed.map(\.entry.point.longitude)
        self.cellKeys = keyed.map(\.key)
        self.cellLatitude = cellLatitude
        self.cellLongitude = cellLongitude
    }

    /// Every entry within `radius` metres of `centre`, nearest first.
    public func within(radius: Double, of centre: GeoPoint) -> [Hit] {
        guard radius >= 0, centre.isValid else { return [] }
        let box = GeoBoundingBox.around(centre, radius: radius)
        var hits: [Hit] = []
        forEachCandidate(south: box.south, west: box.west, north: box.north, east: box.east) { i in
            // Cells overhang the circle's box; comparisons are cheaper than a distance.
            guard latitudes[i] >= box.south, latitudes[i] <= box.north,
                  longitudes[i] >= box.west, longitudes[i] <= box.east else { return }
            let point = GeoPoint(latitude: latitudes[i], longitude: longitudes[i])
            let d = Ellipsoid.wgs84.distance(centre, point)
            if d <= radius { hits.append(Hit(id: ids[i], point: point, distance: d)) }
        }
        hits.sort { $0.distance < $1.distance }
        return hits
    }

    /// Every entry inside `box`, in index order.
    public func inside(_ box: GeoBoundingBox) -> [ID] {
        var found: [ID] = []
        forEachCandidate(south: box.south, west: box.west, north: box.north, east: box.east) { i in
            if box.contains(GeoPoint(latitude: latitudes[i], longitude: longitudes[i])) { found.append(ids[i]) }
        }
        return found
    }

    /// The `k` entries nearest to `centre`, nearest first.
    ///
    /// Searches a growing radius: every entry within radius r is found, so once at least `k`
    /// are found the `k` nearest of the whole set are among them.
    public func nearest(_ k: Int, to centre: GeoPoint) -> [Hit] {
        guard k > 0, !ids.isEmpty, centre.isValid else { return [] }
        var radius = max(cellLatitude, 1e-9) * Ellipsoid.wgs84.metresPerDegree(atLatitude: centre.latitude).north
        while true {
            let hits = within(radius: radius, of: centre)
            if hits.count >= k { return Array(hits.prefix(k)) }
            if radius > 40_075_000 { return hits }
            radius *= 2
        }
    }

    /// Linear scan over `points` for the same answer as ``within(radius:of:)``: the baseline the
    /// benchmark measures the index against, and the oracle of the property tests.
    public static func linearWithin(radius: Double, of centre: GeoPoint, in entries: [(id: ID, point: GeoPoint)]) -> [Hit] {
        var hits: [Hit] = []
        for entry in entries where entry.point.isValid {
            let d = Ellipsoid.wgs84.distance(centre, entry.point)
            if d <= radius { hits.append(Hit(id: entry.id, point: entry.point, distance: d)) }
        }
        hits.sort { $0.distance < $1.distance }
        return hits
    }

    // MARK: - Grid

    private func forEachCandidate(south: Double, west: Double, north: Double, east: Double, _ body: (Int) -> Void) {
        guard !cellKeys.isEmpty else { return }
        let rowRange = Self.cell(south, cellLatitude)...Self.cell(north, cellLatitude)
        let firstColumn = Self.cell(west, cellLongitude)
        let lastColumn = Self.cell(east, cellLongitude)
        for row in rowRange {
            var i = lowerBound(Self.key(row: row, column: firstColumn))
            let end = Self.key(row: row, column: lastColumn)
            while i < cellKeys.count, cellKeys[i] <= end {
                body(i)
                i += 1
            }
        }
    }

    private func lowerBound(_ key: Int64) -> Int {
        var low = 0, high = cellKeys.count
        while low < high {
            let mid = (low + high) / 2
            if cellKeys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func cell(_ degrees: Double, _ size: Double) -> Int64 {
        Int64((degrees / size).rounded(.down))
    }

    private static func key(row: Int64, column: Int64) -> Int64 {
        // Rows and columns stay within ±2^30 for any cell of at least a few centimetres.
        (row << 32) + (column + (1 << 31))
    }
}
