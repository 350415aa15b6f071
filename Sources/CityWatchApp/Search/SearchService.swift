import CityWatchAnalytics
import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// Smart search over the metadata written at analysis time: never decodes video.
///
/// Coarse to fine: camera-hours whose moving cells miss the region are skipped in the database;
/// of the others one row each is read, and in it only the region's cells' runs of seconds
/// (``CellRuns``). Tracks are narrowed in the database by class, colour, size and cells, then
/// tested exactly (``SearchQuery/match(_:)``). ``bruteForce(_:cameras:)`` reads every minute
/// second by second and every track instead; the two must agree (tested on both databases).
public struct SearchService: Sendable {
    /// What a search found and what it cost.
    public struct Result: Sendable, Codable, Hashable {
        /// The page of episodes asked for.
        public var episodes: [SearchEpisode]
        /// Episodes in all (before paging).
        public var total: Int
        public var cameras: Int
        public var reads: SearchIndexRepository.Reads
        public var milliseconds: Double
    }

    /// A query too big to answer, and what to do about it.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The most camera-hours one search may cover: every camera of a large district for a week,
    /// or one camera for twenty years.
    public static let maximumCameraHours = 200_000.0

    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The cameras a query names that `scope` lets the user see.
    public static func cameras(for query: SearchQuery.Cameras, snapshot: CameraDirectory.Snapshot, scope: CameraScope) -> Set<UUID> {
        var chosen = Set<UUID>()
        let purposes = Set(query.purposes ?? [])
        for (index, camera) in snapshot.cameras.enumerated() where scope.contains(camera.id) {
            let site = snapshot.siteOfCamera[index]
            if query.isEverything
                || query.ids?.contains(camera.id) == true
                || purposes.contains(site.record.purpose.code)
                || query.area.map({ Self.area($0, contains: site.record.location) }) == true {
                chosen.insert(camera.id)
            }
        }
        return chosen
    }

    /// Runs `query` over `cameras` (already limited to what the user may see).
    public func run(_ query: SearchQuery, cameras: Set<UUID>) async throws -> Result {
        let started = ContinuousClock.now
        let hours = query.to.timeIntervalSince(query.from) / 3_600
        guard Double(cameras.count) * max(1, hours) <= Self.maximumCameraHours else {
            throw Refusal(reason: "\(cameras.count) cameras over \(Int(hours.rounded(.up))) hours is more than one search may cover "
                + "(\(Int(Self.maximumCameraHours)) camera-hours); choose fewer cameras or a shorter period")
        }
        let index = SearchIndexRepository(database: database)
        var reads = SearchIndexRepository.Reads()
        var builder = EpisodeBuilder(order: query.order, keep: query.offset + query.limit)
        if !cameras.isEmpty {
            if query.asksForObjects {
                // A track in the region has a foot point in one of its cells; one that crossed
                // the line stepped through one of the line's cells.
                var cells: GridCells?
                if let region = query.region {
                    cells = GridCells.overlapping(region)
                } else if let line = query.line {
                    cells = GridCells.along(line.start, line.end)
                }
                let tracks = try await index.tracks(cameras: cameras, from: query.from, to: query.to, classes: query.classes, colors: query.colors,
                                                    height: query.size.map { $0.minimum...$0.maximum }, cells: cells)
                reads.tracks = tracks.count
                Self.collect(tracks: tracks, query: query, into: &builder)
            } else {
                try await collectMotion(query, cameras: cameras, index: index, reads: &reads, into: &builder)
            }
        }
        return Self.page(builder.finish(), query: query, cameras: cameras.count, reads: reads, started: started)
    }

    /// Camera-hours read at once by a motion search: a few megabytes of runs, so a week over
    /// every camera is answered in bounded memory.
    static let hoursPerRead = 2_000

    /// Motion in the region: the camera-hours whose cells touch it, a slice of time at a time,
    /// each hour's runs read for the region's cells only.
    private func collectMotion(_ query: SearchQuery, cameras: Set<UUID>, index: SearchIndexRepository, reads: inout SearchIndexRepository.Reads,
                               into builder: inout EpisodeBuilder) async throws {
        let cells = query.region.map(GridCells.overlapping) ?? .all
        // Whole seconds from the first at or after `from` to the last before `to`.
        let first = Int64(query.from.timeIntervalSince1970.rounded(.up)), last = Int64(query.to.timeIntervalSince1970.rounded(.up))
        let slice = TimeInterval(max(1, Self.hoursPerRead / cameras.count) * 3_600)
        var sliceStart = SearchIndexRepository.hour(of: query.from)
        var pieces: [CellRuns.Piece] = []
        var changes: [Int32] = []
        while sliceStart < query.to {
            let sliceEnd = min(query.to, sliceStart.addingTimeInterval(slice))
            let hours = try await index.motionHours(cameras: cameras, from: max(query.from, sliceStart), to: sliceEnd, cells: cells)
            reads.hours += hours.count
            for hour in hours {
                let start = Int64(hour.hourAt.timeIntervalSince1970)
                var bytes = hour.runs ?? []
                if hour.runs == nil { bytes = try await index.runs(camera: hour.cameraID, hour: hour.hourAt).bytes }
                let within = Int(max(0, first - start))..<Int(min(Int64(CellRuns.secondsPerHour), max(0, last - start)))
                try CellRuns.pieces(in: bytes, wanted: cells, within: within, into: &pieces, changes: &changes)
                builder.add(camera: hour.cameraID, pieces: pieces, hourStart: start)
            }
            sliceStart = sliceEnd
        }
    }

    /// The audit entry of a search that ran: who, what kind, which period, how many cameras
    /// (and which, up to 50) and how much was found — the same from the API and the command line.
    public static func auditEvent(actor: String, query: SearchQuery, cameras: Set<UUID>, result: Result, action: String = "search") -> AuditEvent {
        let formatter = ISO8601DateFormatter()
        var details: [String: AuditValue] = [
            "kind": .string(query.asksForObjects ? "objects" : "motion"), "from": .string(formatter.string(from: query.from)),
            "to": .string(formatter.string(from: query.to)), "cameras": .int(Int64(cameras.count)), "found": .int(Int64(result.total)),
        ]
        if cameras.count <= 50 { details["cameraIds"] = .string(cameras.map(\.uuidString).sorted().joined(separator: ",")) }
        return AuditEvent(actor: actor, action: action, details: details)
    }

    /// The same answer from every stored row of `cameras` in the period, skipping nothing:
    /// motion second by second from the minutes, every track.
    public func bruteForce(_ query: SearchQuery, cameras: Set<UUID>) async throws -> Result {
        let started = ContinuousClock.now
        let index = SearchIndexRepository(database: database)
        var reads = SearchIndexRepository.Reads()
        var builder = EpisodeBuilder(order: query.order, keep: query.offset + query.limit)
        if query.asksForObjects {
            let tracks = try await index.tracks(cameras: cameras, from: query.from, to: query.to)
            reads.tracks = tracks.count
            Self.collect(tracks: tracks, query: query, into: &builder)
        } else {
            let minutes = try await index.motionMinutes(cameras: cameras, from: query.from, to: query.to)
            reads.minutes = minutes.count
            try Self.collect(minutes: minutes, cells: query.region.map(GridCells.overlapping) ?? .all, query: query, into: &builder)
        }
        return Self.page(builder.finish(), query: query, cameras: cameras.count, reads: reads, started: started)
    }

    /// Seconds of `minutes` (in camera, time order) in which a cell of `cells` moved, each as
    /// strong as the number of those cells that moved.
    static func collect(minutes: [SearchIndexRepository.MinuteRow], cells: GridCells, query: SearchQuery, into builder: inout EpisodeBuilder) throws {
        var hits: [MotionMinute.SecondHit] = []
        hits.reserveCapacity(60)
        for row in minutes {
            try MotionMinute.scan(minute: Int64((row.minuteAt.timeIntervalSince1970 / 60).rounded(.down)), secondsBytes: row.seconds,
                                  cells: cells, into: &hits)
            for hit in hits {
                let at = Date(timeIntervalSince1970: TimeInterval(hit.second))
                guard at >= query.from, at < query.to else { continue }
                builder.add(camera: row.cameraID, from: at, to: at.addingTimeInterval(1), moment: at, strength: Double(hit.cells))
            }
        }
    }

    /// Tracks (in any order) that meet the query, in camera and time order.
    static func collect(tracks: [TrackSummary], query: SearchQuery, into builder: inout EpisodeBuilder) {
        let hits = tracks.compactMap(query.match).sorted { a, b in
            if a.track.cameraID != b.track.cameraID { return a.track.cameraID.isOrdered(before: b.track.cameraID) }
            return a.from != b.from ? a.from < b.from : a.track.trackID < b.track.trackID
        }
        for hit in hits {
            builder.add(camera: hit.track.cameraID, from: hit.from, to: hit.to, moment: hit.moment,
                        strength: 1 + hit.to.timeIntervalSince(hit.from) / 60, track: hit.track)
        }
    }

    static func page(_ found: (episodes: [SearchEpisode], total: Int), query: SearchQuery, cameras: Int, reads: SearchIndexRepository.Reads,
                     started: ContinuousClock.Instant) -> Result {
        let page = Array(found.episodes.dropFirst(query.offset).prefix(query.limit))
        let elapsed = started.duration(to: .now)
        return Result(episodes: page, total: found.total, cameras: cameras, reads: reads,
                      milliseconds: Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15)
    }

    /// Point in polygon on the map (longitude as x, latitude as y: fine at a district's scale).
    static func area(_ corners: [GeoPoint], contains point: GeoPoint) -> Bool {
        var inside = false
        var previous = corners[corners.count - 1]
        for corner in corners {
            if (corner.latitude > point.latitude) != (previous.latitude > point.latitude) {
                let crossing = (previous.longitude - corner.longitude) * (point.latitude - corner.latitude)
                    / (previous.latitude - corner.latitude) + corner.longitude
                if point.longitude < crossing { inside.toggle() }
            }
            previous = corner
        }
        return inside
    }
}
