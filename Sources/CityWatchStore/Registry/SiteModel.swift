import CityWatchDomain
import FluentKit
import Foundation

/// A site of the registry (one row of the national file) as stored.
public final class SiteModel: Model, @unchecked Sendable {
    // @unchecked: Fluent models are reference types mutated by one task at a time; they are
    // never shared across tasks in CityWatch (repositories hand out domain values instead).
    public static let schema = "sites"

    @ID public var id: UUID?
    /// Identity across imports; see `RegistryRecord.baseKey`.
    @Field(key: "registry_key") public var registryKey: String
    @Field(key: "local_government_code") public var localGovernmentCode: String
    @Field(key: "management_number") public var managementNumber: String
    @Field(key: "agency") public var agency: String
    @Field(key: "road_address") public var roadAddress: String
    @Field(key: "lot_address") public var lotAddress: String
    /// Purpose code (`CameraPurpose.code`).
    @Field(key: "purpose") public var purpose: String
    /// Purpose as the registry wrote it.
    @Field(key: "purpose_text") public var purposeText: String
    @Field(key: "camera_count") public var cameraCount: Int
    @Field(key: "pixels") public var pixels: String
    @Field(key: "view_direction") public var viewDirection: String
    @Field(key: "retention_days") public var retentionDays: String
    @Field(key: "install_year_month") public var installYearMonth: String
    @Field(key: "phone") public var phone: String
    @Field(key: "latitude") public var latitude: Double
    @Field(key: "longitude") public var longitude: Double
    @Field(key: "data_date") public var dataDate: String
    @Field(key: "update_kind") public var updateKind: String
    @Field(key: "source_updated_at") public var sourceUpdatedAt: String
    @Field(key: "source_modified_at") public var sourceModifiedAt: String
    /// The import run that last added or changed this site (which sites a file no longer names
    /// is found from the run's staged keys, see `RegistryStaging`).
    @OptionalField(key: "seen_import") public var seenImport: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}

/// Creates `sites`.
struct CreateSites: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SiteModel.schema)
            .id()
            .field("registry_key", .string, .required)
            .field("local_government_code", .string, .required)
            .field("management_number", .string, .required)
            .field("agency", .string, .required)
            .field("road_address", .string, .required)
            .field("lot_address", .string, .required)
            .field("purpose", .string, .required)
            .field("purpose_text", .string, .required)
            .field("camera_count", .int, .required)
            .field("pixels", .string, .required)
            .field("view_direction", .string, .required)
            .field("retention_days", .string, .required)
            .field("install_year_month", .string, .required)
            .field("phone", .string, .required)
            .field("latitude", .double, .required)
            .field("longitude", .double, .required)
            .field("data_date", .string, .required)
            .field("update_kind", .string, .required)
            .field("source_updated_at", .string, .required)
            .field("source_modified_at", .string, .required)
            .field("seen_import", .uuid)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "registry_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SiteModel.schema).delete()
    }
}
