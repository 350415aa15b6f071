import FluentKit
import Foundation
import SQLKit

/// A camera re-tasking as stored (see `Retasking`); rows are kept after the revert as its record.
public final class RetaskingModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel; the repository hands out `Retasking` values, never the model.
    public static let schema = "retaskings"

    @ID public var id: UUID?
    @Field(key: "camera_id") public var cameraID: UUID
    /// The registry's 설치목적구분 text when the switch was made (read back with `CameraPurpose(registryText:)`).
    @Field(key: "from_purpose") public var fromPurpose: String
    /// The purpose code switched to.
    @Field(key: "to_purpose") public var toPurpose: String
    @Field(key: "reason") public var reason: String
    @Field(key: "from_at") public var from: Date
    @Field(key: "until_at") public var until: Date
    @Field(key: "created_by") public var createdBy: String
    /// The camera's own analytics settings (JSON), restored on revert.
    @Field(key: "saved_settings") public var savedSettings: String
    @OptionalField(key: "reverted_at") public var revertedAt: Date?
    @OptionalField(key: "reverted_by") public var revertedBy: String?

    public init() {}
}

/// The `retaskings` table. A partial unique index allows one switch in force per camera, so two
/// operators switching the same camera at once make one switch and one extension, never two.
struct CreateRetaskings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RetaskingModel.schema)
            .id()
            .field("camera_id", .uuid, .required)
            .field("from_purpose", .string, .required)
            .field("to_purpose", .string, .required)
            .field("reason", .string, .required)
            .field("from_at", .datetime, .required)
            .field("until_at", .datetime, .required)
            .field("created_by", .string, .required)
            .field("saved_settings", .string, .required)
            .field("reverted_at", .datetime)
            .field("reverted_by", .string)
            .create()
        // SQLite and PostgreSQL both know partial indexes; Fluent's schema builder does not.
        try await database.sql.raw("""
            CREATE UNIQUE INDEX \(ident: "retaskings_one_in_force") ON \(ident: RetaskingModel.schema) (\(ident: "camera_id")) WHERE \(ident: "reverted_at") IS NULL
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RetaskingModel.schema).delete()
    }
}
