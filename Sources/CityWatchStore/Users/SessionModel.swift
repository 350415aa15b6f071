import FluentKit
import Foundation

/// A signed-in browser or client. The cookie carries a random token; only its SHA-256 is
/// stored, so a copy of the database does not let anyone sign in.
public final class SessionModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "sessions"

    @ID public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "user_id") public var user: UserModel
    /// The token state-changing requests must echo in `X-CSRF-Token`.
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "address") public var address: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @Field(key: "expires_at") public var expiresAt: Date

    public init() {}
}

/// Creates `sessions`.
struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SessionModel.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("address", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SessionModel.schema).delete()
    }
}
