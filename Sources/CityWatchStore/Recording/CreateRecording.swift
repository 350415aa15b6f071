import FluentKit
import Foundation
import SQLKit

/// Creates the recording tables and adds the stream state columns to `cameras`.
struct CreateRecording: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CameraStreamModel.schema)
            .field("camera_id", .uuid, .identifier(auto: false), .references(CameraModel.schema, "id", onDelete: .cascade))
            .field("main_url", .string, .required)
            .field("sub_url", .string)
            .field("username", .string)
            .field("password_sealed", .string)
            .field("loop", .bool, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(SegmentModel.schema)
            .id()
            .field("camera_id", .uuid, .required)
            .field("start_at", .datetime, .required)
            .field("end_at", .datetime, .required)
            .field("bytes", .int64, .required)
            .field("path", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "path")
            .create()
        try await database.sql.create(index: "segments_camera_start").on(SegmentModel.schema).column("camera_id").column("start_at").run()
        try await database.schema(HealthEventModel.schema)
            .id()
            .field("camera_id", .uuid, .required)
            .field("at", .datetime, .required)
            .field("from_state", .string, .required)
            .field("to_state", .string, .required)
            .field("reason", .string, .required)
            .create()
        try await database.sql.create(index: "health_camera_at").on(HealthEventModel.schema).column("camera_id").column("at").run()
        try await database.schema(RecordingGapModel.schema)
            .id()
            .field("camera_id", .uuid, .required)
            .field("from_at", .datetime, .required)
            .field("to_at", .datetime, .required)
            .create()
        try await database.schema(LegalHoldModel.schema)
            .id()
            .field("camera_id", .uuid, .required)
            .field("from_at", .datetime, .required)
            .field("to_at", .datetime, .required)
            .field("reason", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("released_at", .datetime)
            .create()
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(CameraModel.schema).field("health", .string).update()
        try await database.schema(CameraModel.schema).field("health_reason", .string).update()
        try await database.schema(CameraModel.schema).field("health_since", .datetime).update()
        try await database.schema(CameraModel.schema).field("retention_days", .int).update()
    }

    func revert(on database: any Database) async throws {
        for schema in [LegalHoldModel.schema, RecordingGapModel.schema, HealthEventModel.schema, SegmentModel.schema, CameraStreamModel.schema] {
            try await database.schema(schema).delete()
        }
        for column in ["health", "health_reason", "health_since", "retention_days"] {
            try await database.schema(CameraModel.schema).deleteField(.string(column)).update()
        }
    }
}
