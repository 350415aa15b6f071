import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// The smart-search index: cell masks on motion minutes and track summaries, track heights and
/// lengths, and the per-hour motion table. Rows written before it get masks that never skip
/// them (all cells), and their hours are filled in, so older footage stays searchable.
struct CreateSearchIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        for column in ["cells0", "cells1", "cells2"] {
            try await sql.raw("ALTER TABLE \(ident: MotionMinuteModel.schema) ADD COLUMN \(ident: column) BIGINT NOT NULL DEFAULT -1").run()
            try await sql.raw("ALTER TABLE \(ident: TrackSummaryModel.schema) ADD COLUMN \(ident: column) BIGINT NOT NULL DEFAULT -1").run()
        }
        try await sql.raw("ALTER TABLE \(ident: TrackSummaryModel.schema) ADD COLUMN \(ident: "height") DOUBLE PRECISION NOT NULL DEFAULT -1").run()
        try await sql.raw("ALTER TABLE \(ident: TrackSummaryModel.schema) ADD COLUMN \(ident: "seconds") DOUBLE PRECISION NOT NULL DEFAULT 0").run()
        try await sql.create(index: "tracks_start").on(TrackSummaryModel.schema).column("start_at").run()
        try await sql.create(index: "tracks_seconds").on(TrackSummaryModel.schema).column("seconds").run()
        try await database.schema(MotionHourModel.schema)
            .id()
            .field("camera_id", .uuid, .required)
            .field("hour_at", .datetime, .required)
            .field("cells0", .int64, .required)
            .field("cells1", .int64, .required)
            .field("cells2", .int64, .required)
            .unique(on: "camera_id", "hour_at")
            .create()
        try await sql.create(index: "motion_hour_at").on(MotionHourModel.schema).column("hour_at").column("camera_id").run()

        // Older rows: track lengths and heights from their paths, hours from their minutes.
        for track in try await TrackSummaryModel.query(on: database).all() {
            track.seconds = track.end.timeIntervalSince(track.start)
            track.height = (try? ImageBox.unpack([UInt8](track.path))).map { TrackSummary.medianHeight($0) } ?? -1
            try await track.save(on: database)
        }
        var hours = Set<[String]>()
        for minute in try await MotionMinuteModel.query(on: database).all() {
            let hour = SearchIndexRepository.hour(of: minute.minuteAt)
            guard hours.insert([minute.cameraID.uuidString, "\(hour.timeIntervalSince1970)"]).inserted else { continue }
            let model = MotionHourModel()
            model.cameraID = minute.cameraID
            model.hourAt = hour
            (model.cells0, model.cells1, model.cells2) = GridCells.all.stored
            try await model.create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MotionHourModel.schema).delete()
    }
}
