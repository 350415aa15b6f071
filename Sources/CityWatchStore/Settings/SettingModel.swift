import FluentKit
import Foundation

/// One installation-wide value (the registry version, the signing key's public half, …).
public final class SettingModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "settings"

    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: String

    public init() {}

    public init(key: String, value: String) {
        self.id = key
        self.value = value
    }
}

/// Creates `settings`.
struct CreateSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SettingModel.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SettingModel.schema).delete()
    }
}

/// Reads and writes installation-wide values.
public struct Settings: Sendable {
    /// Keys CityWatch uses.
    public enum Key: String, Sendable {
        /// Changes whenever a camera or site changes, so serve nodes know to reload.
        case registryVersion = "registry.version"
        /// Changes whenever users' rights may have (a role, groups, a user disabled), so every
        /// node ends or narrows the live sockets of the users concerned.
        case accessVersion = "access.version"
    }

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The value of `key`, if set.
    public func get(_ key: Key) async throws -> String? {
        try await SettingModel.find(key.rawValue, on: database)?.value
    }

    /// Sets `key` to `value`.
    public func set(_ key: Key, to value: String) async throws {
        if let existing = try await SettingModel.find(key.rawValue, on: database) {
            existing.value = value
            try await existing.update(on: database)
        } else {
            try await SettingModel(key: key.rawValue, value: value).create(on: database)
        }
    }

    /// The value stored under a free-form key (such as `retention.purpose.childProtection`).
    public func get(named key: String) async throws -> String? {
        try await SettingModel.find(key, on: database)?.value
    }

    /// Every value whose key starts with `prefix`.
    public func all(prefixed prefix: String) async throws -> [String: String] {
        let rows = try await SettingModel.query(on: database).all()
        return Dictionary(rows.compactMap { row in row.id.flatMap { $0.hasPrefix(prefix) ? ($0, row.value) : nil } }, uniquingKeysWith: { a, _ in a })
    }

    /// Sets a free-form key, or removes it when `value` is nil.
    public func set(named key: String, to value: String?) async throws {
        if let existing = try await SettingModel.find(key, on: database) {
            if let value {
                existing.value = value
                try await existing.update(on: database)
            } else {
                try await existing.delete(on: database)
            }
        } else if let value {
            try await SettingModel(key: key, value: value).create(on: database)
        }
    }

    /// Marks the camera registry as changed.
    public func bumpRegistryVersion() async throws {
        try await set(.registryVersion, to: UUID().uuidString)
    }
}
