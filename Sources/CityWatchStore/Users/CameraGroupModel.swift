import FluentKit
import Foundation

/// A named set of cameras, defined by a `CameraGroupRule`, that users are granted.
public final class CameraGroupModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "camera_groups"

    @ID public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "description") public var description: String
    /// The `CameraGroupRule` as JSON.
    @Field(key: "rule") public var rule: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// A grant of one camera group to one user.
public final class UserGroupGrantModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "user_group_grants"

    @ID public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    @Parent(key: "group_id") public var group: CameraGroupModel

    public init() {}

    public init(userID: UUID, groupID: UUID) {
        self.$user.id = userID
        self.$group.id = groupID
    }
}

/// Creates `camera_groups` and `user_group_grants`.
struct CreateCameraGroups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CameraGroupModel.schema)
            .id()
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("rule", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema(UserGroupGrantModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("group_id", .uuid, .required, .references(CameraGroupModel.schema, "id", onDelete: .cascade))
            .unique(on: "user_id", "group_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserGroupGrantModel.schema).delete()
        try await database.schema(CameraGroupModel.schema).delete()
    }
}
