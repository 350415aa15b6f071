import FluentKit
import Foundation
import SQLKit

/// A bell's press secret, sealed (see ``CredentialSealer``): the server needs the secret
/// itself to check signatures, so it is sealed rather than hashed.
public final class BellSecretModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "bell_secrets"

    @ID(custom: "bell_id", generatedBy: .user) public var id: UUID?
    @Field(key: "sealed_secret") public var sealedSecret: String
    @Field(key: "issued_at") public var issuedAt: Date
    @Field(key: "issued_by") public var issuedBy: String

    public init() {}
}

/// A press received from a bell (accepted ones only; refused ones go to the audit log).
public final class BellPressModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "bell_presses"

    @ID public var id: UUID?
    @Field(key: "bell_id") public var bellID: UUID
    /// Unique per bell: a second press with the same nonce is a replay.
    @Field(key: "nonce") public var nonce: String
    @Field(key: "signed_at") public var signedAt: Date
    @Field(key: "received_at") public var receivedAt: Date
    @Field(key: "drill") public var drill: Bool
    @OptionalField(key: "alarm_id") public var alarmID: UUID?

    public init() {}
}

/// A training window: presses of the bell (or of every bell, when `bell_id` is null) are drills.
public final class BellDrillModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "bell_drills"

    @ID public var id: UUID?
    @OptionalField(key: "bell_id") public var bellID: UUID?
    @Field(key: "from_at") public var from: Date
    @Field(key: "until_at") public var until: Date
    @Field(key: "note") public var note: String
    @Field(key: "created_by") public var createdBy: String

    public init() {}
}

/// Creates the bells' secrets, presses and drill windows.
struct CreateBellPresses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BellSecretModel.schema)
            .field("bell_id", .uuid, .identifier(auto: false), .references(BellModel.schema, "id", onDelete: .cascade))
            .field("sealed_secret", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("issued_by", .string, .required)
            .create()
        try await database.schema(BellPressModel.schema)
            .id()
            .field("bell_id", .uuid, .required, .references(BellModel.schema, "id", onDelete: .cascade))
            .field("nonce", .string, .required)
            .field("signed_at", .datetime, .required)
            .field("received_at", .datetime, .required)
            .field("drill", .bool, .required)
            .field("alarm_id", .uuid)
            .unique(on: "bell_id", "nonce")
            .create()
        try await database.sql.create(index: "bell_presses_received").on(BellPressModel.schema).column("received_at").run()
        try await database.schema(BellDrillModel.schema)
            .id()
            .field("bell_id", .uuid)
            .field("from_at", .datetime, .required)
            .field("until_at", .datetime, .required)
            .field("note", .string, .required)
            .field("created_by", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [BellDrillModel.schema, BellPressModel.schema, BellSecretModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
