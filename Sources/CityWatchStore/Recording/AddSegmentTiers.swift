import FluentKit
import FluentSQL
import SQLKit

/// The storage tier a segment's file is in (`hot`: the recording node's own folder; `archive`:
/// the shared archive) and the SHA-256 its copy was verified with when it moved. Additive: a
/// node of the version before writes rows without a tier, which the default makes hot.
struct AddSegmentTiers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SegmentModel.schema)
            .field("tier", .string, .required, .sql(.default("hot")))
            .update()
        try await database.schema(SegmentModel.schema).field("sha256", .string).update()
        try await database.sql.create(index: "segments_tier_start").on(SegmentModel.schema).column("tier").column("start_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "segments_tier_start").run()
        try await database.schema(SegmentModel.schema).deleteField("sha256").update()
        try await database.schema(SegmentModel.schema).deleteField("tier").update()
    }
}
