import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// The search index on SQLite and PostgreSQL alike: camera-hours with their cells' runs of
/// seconds for motion, track summaries for objects, each skipped in the database by one bitwise
/// AND of cell masks, so a search reads only rows that may match. The exact test on what comes back is the caller's (``SearchQuery``).
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

    /// The start of the hour holding `date`.
    public static func hour(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600)
    }

    /// A camera-hour of the motion index as a search reads it.
    public struct HourRow: Sendable, Hashable {
        public var cameraID: UUID
        public var hourAt: Date
        /// ``CellRuns/bytes``; nil for an hour written before runs were kept.
        public var runs: [UInt8]?
    }

    /// Adds a stored minute to its camera-hour: its moving cells, and its seconds to the cells' runs.
    func addMotion(camera: UUID, minute: MotionMinute, cells: GridCells) async throws {
        let hour = Date(timeIntervalSince1970: TimeInterval(minute.hourStart))
        let stored = try await MotionHourModel.query(on: database).filter(\.$cameraID == camera).filter(\.$hourAt == hour).first()
        var runs: CellRuns
        if let stored, let bytes = stored.runs {
            runs = try CellRuns(bytes: [UInt8](bytes))
            minute.addRuns(to: &runs)
        } else {
            // A new hour (this minute is stored already) or one from before runs were kept.
            runs = try await self.runs(camera: camera, hour: hour)
        }
        let model = stored ?? MotionHourModel()
        if stored == nil {
            model.cameraID = camera
            model.hourAt = hour
        }
        let known = stored.map { GridCells(stored: ($0.cells0, $0.cells1, $0.cells2)) } ?? .none
        (model.cells0, model.cells1, model.cells2) = known.union(cells).stored
        model.runs = Data(runs.bytes)
        try await model.save(on: database)
    }

    /// Builds a camera-hour's runs again from the minutes it still has (deleting it when it has none).
    func rebuild(camera: UUID, hour: Date) async throws {
        guard let model = try await MotionHourModel.query(on: database).filter(\.$cameraID == camera).filter(\.$hourAt == hour).first() else { return }
        let runs = try await self.runs(camera: camera, hour: hour)
        if runs.isEmpty {
            try await model.delete(on: database)
        } else {
            model.runs = Data(runs.bytes)
            try await model.save(on: database)
        }
    }

    /// The runs of a camera-hour built from its stored minutes.
    public func runs(camera: UUID, hour: Date) async throws -> CellRuns {
        var runs = CellRuns()
        let minutes = try await MotionMinuteModel.query(on: database).filter(\.$cameraID == camera)
            .filter(\.$minuteAt >= hour).filter(\.$minuteAt < hour.addingTimeInterval(3_600)).all()
        for model in minutes {
            try MotionMinute(minute: Int64((model.minuteAt.timeIntervalSince1970 / 60).rounded(.down)), secondsBytes: [UInt8](model.seconds))
                .addRuns(to: &runs)
        }
        return runs
    }

    /// Camera-hours overlapping `from..<to` whose motion touched `cells`, with their runs, in
    /// camera (``Foundation/UUID/isOrdered(before:)``) and hour order.
    public func motionHours(cameras: Set<UUID>?, from: Date, to: Date, cells: GridCells) async throws -> [HourRow] {
        var query = database.sql.select().column("camera_id").column("hour_at").column("runs").from(MotionHourModel.schema)
            .where("hour_at", .greaterThanOrEqual, SQLBind(Self.hour(of: from))).where("hour_at", .lessThan, SQLBind(to))
        // Sorted here, not by the database: sorting rows with their runs would spill to temporary files.
        query = Self.touching(cells, Self.restricted(query, to: cameras))
        var hours: [HourRow] = []
        for row in try await query.all() {
            let camera = try row.decode(column: "camera_id", as: UUID.self)
            if let cameras, !cameras.contains(camera) { continue }
            hours.append(HourRow(cameraID: camera, hourAt: try row.decode(column: "hour_at", as: Date.self),
                                 runs: try row.decode(column: "runs", as: Data?.self).map { [UInt8]($0) }))
        }
        return hours.sorted { $0.cameraID == $1.cameraID ? $0.hourAt < $1.hourAt : $0.cameraID.isOrdered(before: $1.cameraID) }
    }

    /// Every stored minute of `cameras` (nil: all) in `from..<to`, in camera and time order:
    /// what a brute-force search reads.
    public func motionMinutes(cameras: Set<UUID>?, from: Date, to: Date) async throws -> [MinuteRow] {
        let start = Date(timeIntervalSince1970: (from.timeIntervalSince1970 / 60).rounded(.down) * 60)
        var query = database.sql.select().column("camera_id").column("minute_at").column("seconds").from(MotionMinuteModel.schema)
            .where("minute_at", .greaterThanOrEqual, SQLBind(start)).where("minute_at", .lessThan, SQLBind(to))
        query = Self.restricted(query, to: cameras)
        var minutes: [MinuteRow] = []
        for row in try await query.orderBy("camera_id").orderBy("minute_at").all() {
            let camera = try row.decode(column: "camera_id", as: UUID.self)
            if let cameras, !cameras.contains(camera) { continue }
            minutes.append(MinuteRow(cameraID: camera, minuteAt: try row.decode(column: "minute_at", as: Date.self),
                                     seconds: [UInt8](try row.decode(column: "seconds", as: Data.self))))
        }
        return minutes
    }

    /// Tracks of `cameras` alive during `from..<to`, narrowed in the database by class, colour,
    /// height and the cells their path touched (each nil: not narrowed), in no particular order.
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
        for row in try await query.all() {
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

    /// How big the motion index is: camera-hour rows and the bytes of their runs.
    public func motionIndexSize() async throws -> (hours: Int, bytes: Int) {
        let row = try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "hours")
            .column(SQLFunction("SUM", args: SQLFunction("LENGTH", args: SQLColumn("runs"))), as: "bytes")
            .from(MotionHourModel.schema).first()
        return (try row?.decode(column: "hours", as: Int.self) ?? 0, try row?.decode(column: "bytes", as: Int?.self) ?? 0)
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
}
