import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// The search index on SQLite and PostgreSQL alike: camera-hours, then minutes, then tracks,
/// each skipped in the database by one bitwise AND of cell masks, so a search reads only rows
/// that may match. The exact test on what comes back is the caller's (``SearchQuery``).
public struct SearchIndexRepository: Sendable {
    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// A stored minute as a search reads it.
    public struct MinuteRow: Sendable, Hashable {
        public var cameraID: UUID
        public var minuteAt: Date
        /// The per-second grids, encoded.
        public var seconds: [UInt8]
    }

    /// How much of the index a search read.
    public struct Reads: Sendable, Hashable, Codable {
        public var hours = 0
        public var minutes = 0
        public var tracks = 0

        public init(hours: Int = 0, minutes: Int = 0, tracks: Int = 0) {
            self.hours = hours
            self.minutes = minutes
            self.tracks = tracks
        }
    }

    /// Up to this many cameras are named in a query; more are filtered after reading.
    static let camerasInQuery = 200
    /// Up to this many time ranges are named in a query; more are read as one.
    static let rangesInQuery = 64

    /// The start of the hour holding `date`.
    public static func hour(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600)
    }

    /// Adds a minute's moving cells to its camera-hour.
    func addMotion(camera: UUID, minute: Date, cells: GridCells) async throws {
        let hour = Self.hour(of: minute)
        if let model = try await MotionHourModel.query(on: database).filter(\.$cameraID == camera).filter(\.$hourAt == hour).first() {
            let known = GridCells(stored: (model.cells0, model.cells1, model.cells2))
            let merged = known.union(cells)
            guard merged != known else { return }
            (model.cells0, model.cells1, model.cells2) = merged.stored
            try await model.save(on: database)
        } else {
            let model = MotionHourModel()
            model.cameraID = camera
            model.hourAt = hour
            (model.cells0, model.cells1, model.cells2) = cells.stored
            try await model.create(on: database)
        }
    }

    /// Camera-hours overlapping `from..<to` whose motion touched `cells`.
    public func motionHours(cameras: Set<UUID>?, from: Date, to: Date, cells: GridCells) async throws -> [(camera: UUID, hour: Date)] {
        var query = database.sql.select().column("camera_id").column("hour_at").from(MotionHourModel.schema)
            .where("hour_at", .greaterThanOrEqual, SQLBind(Self.hour(of: from))).where("hour_at", .lessThan, SQLBind(to))
        query = Self.touching(cells, Self.restricted(query, to: cameras))
        var hours: [(camera: UUID, hour: Date)] = []
        for row in try await query.all() {
            let camera = try row.decode(column: "camera_id", as: UUID.self)
            if let cameras, !cameras.contains(camera) { continue }
            hours.append((camera, try row.decode(column: "hour_at", as: Date.self)))
        }
        return hours
    }

    /// Minutes in `from..<to` of the candidate camera-hours whose motion touched `cells`; nil
    /// `hours` and `cells` read every minute of `cameras` (the brute-force check).
    public func motionMinutes(cameras: Set<UUID>?, hours: [(camera: UUID, hour: Date)]?, from: Date, to: Date,
                              cells: GridCells?) async throws -> [MinuteRow] {
        var candidates: Set<String>?
        var cameras = cameras
        var ranges = [(from: Date.distantPast, to: Date.distantFuture)]
        if let hours {
            guard !hours.isEmpty else { return [] }
            candidates = Set(hours.map { "\($0.camera)/\($0.hour.timeIntervalSince1970)" })
            cameras = Set(hours.map(\.camera))
            ranges = Self.merged(Set(hours.map(\.hour)).sorted())
        }
        let start = Date(timeIntervalSince1970: (from.timeIntervalSince1970 / 60).rounded(.down) * 60)
        var query = database.sql.select().column("camera_id").column("minute_at").column("seconds").from(MotionMinuteModel.schema)
            .where("minute_at", .greaterThanOrEqual, SQLBind(start)).where("minute_at", .lessThan, SQLBind(to))
        if ranges.count <= Self.rangesInQuery, hours != nil {
            query = query.where { group in
                var group = group
                for range in ranges {
                    group = group.orWhere { $0.where("minute_at", .greaterThanOrEqual, SQLBind(range.from)).where("minute_at", .lessThan, SQLBind(range.to)) }
                }
                return group
            }
        }
        query = Self.restricted(query, to: cameras)
        if let cells { query = Self.touching(cells, query) }
        var minutes: [MinuteRow] = []
        for row in try await query.orderBy("camera_id").orderBy("minute_at").all() {
            let camera = try row.decode(column: "camera_id", as: UUID.self)
            let minute = try row.decode(column: "minute_at", as: Date.self)
            if let cameras, !cameras.contains(camera) { continue }
            if let candidates, !candidates.contains("\(camera)/\(Self.hour(of: minute).timeIntervalSince1970)") { continue }
            minutes.append(MinuteRow(cameraID: camera, minuteAt: minute, seconds: [UInt8](try row.decode(column: "seconds", as: Data.self))))
        }
        return minutes
    }

    /// Tracks of `cameras` alive during `from..<to`, narrowed in the database by class, colour,
    /// height and the cells their path touched (each nil: not narrowed).
    public func tracks(cameras: Set<UUID>?, from: Date, to: Date, classes: Set<ObjectClass>? = nil, colors: Set<ColorName>? = nil,
                       height: ClosedRange<Double>? = nil, cells: GridCells? = nil) async throws -> [TrackSummary] {
        // A track that started before `from` may still be going: look back as far as the longest one.
        let longest = try await database.sql.select().column(SQLFunction("MAX", args: SQLColumn("seconds")), as: "longest")
            .from(TrackSummaryModel.schema).first()
            .flatMap { try $0.decodeNil(column: "longest") ? nil : $0.decode(column: "longest", as: Double.self) } ?? 0
        var query = database.sql.select().columns("camera_id", "track_id", "class", "start_at", "end_at", "path", "color", "direction", "speed")
            .from(TrackSummaryModel.schema)
            .where("start_at", .greaterThanOrEqual, SQLBind(from.addingTimeInterval(-longest - 1))).where("start_at", .lessThanOrEqual, SQLBind(to))
            .where("end_at", .greaterThanOrEqual, SQLBind(from))
        query = Self.restricted(query, to: cameras)
        if let classes { query = query.where("class", .in, SQLBind.group(classes.map(\.rawValue).sorted())) }
        if let colors { query = query.where("color", .in, SQLBind.group(colors.map(\.rawValue).sorted())) }
        if let height {
            query = query.where { $0.where("height", .lessThan, SQLLiteral.numeric("0"))
                .orWhere { $0.where("height", .greaterThanOrEqual, SQLBind(height.lowerBound)).where("height", .lessThanOrEqual, SQLBind(height.upperBound)) } }
        }
        if let cells { query = Self.touching(cells, query) }
        var tracks: [TrackSummary] = []
        for row in try await query.orderBy("camera_id").orderBy("start_at").all() {
            let camera = try row.decode(column: "camera_id", as: UUID.self)
            if let cameras, !cameras.contains(camera) { continue }
            tracks.append(TrackSummary(
                cameraID: camera, trackID: try row.decode(column: "track_id", as: Int.self),
                objectClass: ObjectClass(rawValue: try row.decode(column: "class", as: String.self)) ?? .unknown,
                start: try row.decode(column: "start_at", as: Date.self), end: try row.decode(column: "end_at", as: Date.self),
                path: try ImageBox.unpack([UInt8](try row.decode(column: "path", as: Data.self))),
                color: try row.decode(column: "color", as: String?.self), direction: try row.decode(column: "direction", as: Double?.self),
                speed: try row.decode(column: "speed", as: Double.self)))
        }
        return tracks
    }

    /// Rows whose stored cells share one with `cells` (nothing, for no cells).
    static func touching(_ cells: GridCells, _ query: SQLSelectBuilder) -> SQLSelectBuilder {
        let (w0, w1, w2) = cells.stored
        return query.where(SQLQueryString(
            "((\(ident: "cells0") & \(bind: w0)) <> 0 OR (\(ident: "cells1") & \(bind: w1)) <> 0 OR (\(ident: "cells2") & \(bind: w2)) <> 0)"))
    }

    /// The query limited to `cameras` when they are few enough to name.
    static func restricted(_ query: SQLSelectBuilder, to cameras: Set<UUID>?) -> SQLSelectBuilder {
        guard let cameras, cameras.count <= camerasInQuery else { return query }
        return query.where("camera_id", .in, SQLBind.group(cameras.sorted { $0.uuidString < $1.uuidString }))
    }

    /// Contiguous runs of whole hours as ranges.
    static func merged(_ hours: [Date]) -> [(from: Date, to: Date)] {
        var ranges: [(from: Date, to: Date)] = []
        for hour in hours {
            if let last = ranges.last, last.to == hour { ranges[ranges.count - 1].to = hour.addingTimeInterval(3_600) } else {
                ranges.append((hour, hour.addingTimeInterval(3_600)))
            }
        }
        return ranges
    }
}
