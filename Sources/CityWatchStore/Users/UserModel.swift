import FluentKit
import Foundation

/// A person who signs in to CityWatch.
public final class UserModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "users"

    @ID public var id: UUID?
    /// Unique, compared in lower case.
    @Field(key: "username") public var username: String
    /// bcrypt hash; the password itself is never stored.
    @Field(key: "password_hash") public var passwordHash: String
    /// `Role.rawValue`.
    @Field(key: "role") public var role: String
    /// Set for generated passwords: the user must choose one at the next login.
    @Field(key: "must_change_password") public var mustChangePassword: Bool
    @Field(key: "disabled") public var disabled: Bool
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "password_changed_at") public var passwordChangedAt: Date

    public init() {}

    public init(id: UUID? = nil, username: String, passwordHash: String, role: String, mustChangePassword: Bool, now: Date) {
        self.id = id
        self.username = username.lowercased()
        self.passwordHash = passwordHash
        self.role = role
        self.mustChangePassword = mustChangePassword
        self.disabled = false
        self.createdAt = now
        self.passwordChangedAt = now
    }
}

/// Creates `users`.
struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserModel.schema)
            .id()
            .field("username", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("must_change_password", .bool, .required)
            .field("disabled", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("password_changed_at", .datetime, .required)
            .unique(on: "username")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserModel.schema).delete()
    }
}
