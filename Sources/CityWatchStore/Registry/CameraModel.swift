import FluentKit
import Foundation

/// One camera (video source) of a site.
public final class CameraModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "cameras"

    @ID public var id: UUID?
    @Parent(key: "site_id") public var site: SiteModel
    /// 1…N within the site.
    @Field(key: "position") public var position: Int
    /// A name an administrator gave the camera, if any.
    @OptionalField(key: "name") public var name: String?
    @Field(key: "enabled") public var enabled: Bool
    /// The stream's health as last reported (`CameraHealth` raw value).
    @OptionalField(key: "health") public var health: String?
    @OptionalField(key: "health_reason") public var healthReason: String?
    @OptionalField(key: "health_since") public var healthSince: Date?
    /// Days to keep this camera's footage, overriding its purpose's default.
    @OptionalField(key: "retention_days") public var retentionDays: Int?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}

/// Creates `cameras`.
struct CreateCameras: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CameraModel.schema)
            .id()
            .field("site_id", .uuid, .required, .references(SiteModel.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("name", .string)
            .field("enabled", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "site_id", "position")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CameraModel.schema).delete()
    }
}
