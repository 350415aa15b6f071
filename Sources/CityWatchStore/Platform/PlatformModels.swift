import FluentKit
import Foundation
import SQLKit

/// A partner system allowed to send platform events (the integrated platform's 112/119
/// gateway). Its secret is kept only as a SHA-256 digest: the secret is 256 random bits, so a
/// slow hash adds nothing, and the digest is looked up directly.
public final class PartnerModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "platform_partners"

    @ID public var id: UUID?
    @Field(key: "name") public var name: String
    /// SHA-256 of the secret, hex.
    @Field(key: "secret_hash") public var secretHash: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "created_by") public var createdBy: String
    @OptionalField(key: "revoked_at") public var revokedAt: Date?

    public init() {}
}

/// Every platform message accepted, as it came, for the record. One per event and status:
/// the unique key is what makes a repeated message (even two at once) change nothing.
public final class PlatformMessageModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "platform_messages"

    @ID public var id: UUID?
    @Field(key: "partner") public var partner: String
    @Field(key: "event_id") public var eventID: String
    @Field(key: "status") public var status: String
    @Field(key: "received_at") public var receivedAt: Date
    @OptionalField(key: "incident_id") public var incidentID: UUID?
    /// The body as received (UTF-8).
    @Field(key: "raw") public var raw: String

    public init() {}
}

/// A short-lived link to an incident's cameras for a partner. The token is kept only as a
/// SHA-256 digest, like session tokens.
public final class ShareTokenModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "incident_shares"

    @ID public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "incident_id") public var incidentID: UUID
    @Field(key: "partner") public var partner: String
    /// The cameras shared, ids joined by commas.
    @Field(key: "camera_ids") public var cameraIDs: String
    /// The footage that may be played back.
    @Field(key: "playback_from") public var playbackFrom: Date
    @Field(key: "playback_to") public var playbackTo: Date
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?

    public init() {}
}

/// Creates the partners, the received platform messages and the incident shares.
struct CreatePlatformLink: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnerModel.schema)
            .id()
            .field("name", .string, .required)
            .field("secret_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .field("revoked_at", .datetime)
            .unique(on: "name")
            .unique(on: "secret_hash")
            .create()
        try await database.schema(PlatformMessageModel.schema)
            .id()
            .field("partner", .string, .required)
            .field("event_id", .string, .required)
            .field("status", .string, .required)
            .field("received_at", .datetime, .required)
            .field("incident_id", .uuid)
            .field("raw", .string, .required)
            .unique(on: "event_id", "status")
            .create()
        try await database.sql.create(index: "platform_messages_event").on(PlatformMessageModel.schema).column("event_id").column("received_at").run()
        try await database.schema(ShareTokenModel.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("incident_id", .uuid, .required)
            .field("partner", .string, .required)
            .field("camera_ids", .string, .required)
            .field("playback_from", .datetime, .required)
            .field("playback_to", .datetime, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.sql.create(index: "incident_shares_incident").on(ShareTokenModel.schema).column("incident_id").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [ShareTokenModel.schema, PlatformMessageModel.schema, PartnerModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
