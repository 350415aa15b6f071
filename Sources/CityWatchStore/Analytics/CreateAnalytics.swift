import FluentKit
import Foundation
import SQLKit

/// Creates the analytics tables: settings per camera, events, motion minutes, track summaries.
struct CreateAnalytics: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AnalyticsSettingsModel.schema)
            .field("camera_id", .uuid, .identifier(auto: false), .references(CameraModel.schema, "id", onDelete: .cascade))
            .field("settings", .string, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .create()
        try await database.schema(AnalyticsEventModel.schema)
            .id()
            .field("camera_id", .uuid, .required)
            .field("rule_id", .uuid)
            .field("rule_name", .string, .required)
            .field("kind", .string, .required)
            .field("at", .datetime, .required)
            .field("last_at", .datetime, .required)
            .field("repeats", .int, .required)
            .field("objects", .string, .required)
            .field("snapshot_path", .string)
            .field("acknowledged_by", .string)
            .field("acknowledged_at", .datetime)
            .field("note", .string)
            .create()
        try await database.sql.create(index: "events_at").on(AnalyticsEventModel.schema).column("at").run()
        try await database.sql.create(index: "events_camera_at").on(AnalyticsEventModel.schema).column("camera_id").column("at").run()
        try await database.schema(MotionMinuteModel.schema)
            .id()
            .field("camera_id", .uuid, .required)
            .field("minute_at", .datetime, .required)
            .field("active_seconds", .int, .required)
            .field("summary", .data, .required)
            .field("seconds", .data, .required)
            .unique(on: "camera_id", "minute_at")
            .create()
        try await database.sql.create(index: "motion_minute_at").on(MotionMinuteModel.schema).column("minute_at").column("camera_id").run()
        try await database.schema(TrackSummaryModel.schema)
            .id()
            .field("camera_id", .uuid, .required)
            .field("track_id", .int, .required)
            .field("class", .string, .required)
            .field("start_at", .datetime, .required)
            .field("end_at", .datetime, .required)
            .field("path", .data, .required)
            .field("color", .string)
            .field("direction", .double)
            .field("speed", .double, .required)
            .create()
        try await database.sql.create(index: "tracks_camera_start").on(TrackSummaryModel.schema).column("camera_id").column("start_at").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [TrackSummaryModel.schema, MotionMinuteModel.schema, AnalyticsEventModel.schema, AnalyticsSettingsModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
