import CityWatchDomain
import Foundation
import SQLKit

/// The stored shape of a site, for SQL-level bulk reads and writes (column names are the
/// snake_case of these property names).
struct SiteRow: Codable {
    var id: UUID
    var registryKey: String
    var localGovernmentCode: String
    var managementNumber: String
    var agency: String
    var roadAddress: String
    var lotAddress: String
    var purpose: String
    var purposeText: String
    var cameraCount: Int
    var pixels: String
    var viewDirection: String
    var retentionDays: String
    var installYearMonth: String
    var phone: String
    var latitude: Double
    var longitude: Double
    var dataDate: String
    var updateKind: String
    var sourceUpdatedAt: String
    var sourceModifiedAt: String
    var seenImport: UUID?
    var createdAt: Date
    var updatedAt: Date

    init(id: UUID, key: String, record r: RegistryRecord, seenImport: UUID?, createdAt: Date, updatedAt: Date) {
        self.id = id
        registryKey = key
        localGovernmentCode = r.localGovernmentCode
        managementNumber = r.managementNumber
        agency = r.agency
        roadAddress = r.roadAddress
        lotAddress = r.lotAddress
        purpose = r.purpose.code
        purposeText = r.purpose.koreanName
        cameraCount = r.cameraCount
        pixels = r.pixels
        viewDirection = r.viewDirection
        retentionDays = r.retentionDays
        installYearMonth = r.installYearMonth
        phone = r.phone
        latitude = r.latitude
        longitude = r.longitude
        dataDate = r.dataDate
        updateKind = r.updateKind
        sourceUpdatedAt = r.updatedAt
        sourceModifiedAt = r.lastModifiedAt
        self.seenImport = seenImport
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    var record: RegistryRecord {
        var r = RegistryRecord()
        r.localGovernmentCode = localGovernmentCode
        r.managementNumber = managementNumber
        r.agency = agency
        r.roadAddress = roadAddress
        r.lotAddress = lotAddress
        r.purpose = CameraPurpose(registryText: purposeText)
        r.cameraCount = cameraCount
        r.pixels = pixels
        r.viewDirection = viewDirection
        r.retentionDays = retentionDays
        r.installYearMonth = installYearMonth
        r.phone = phone
        r.latitude = latitude
        r.longitude = longitude
        r.dataDate = dataDate
        r.updateKind = updateKind
        r.updatedAt = sourceUpdatedAt
        r.lastModifiedAt = sourceModifiedAt
        return r
    }

    var site: Site { Site(id: id, registryKey: registryKey, record: record) }

    /// Column names spelled out: a key-decoding strategy converts every key of every row.
    enum CodingKeys: String, CodingKey {
        case id, registryKey = "registry_key", localGovernmentCode = "local_government_code"
        case managementNumber = "management_number", agency, roadAddress = "road_address", lotAddress = "lot_address"
        case purpose, purposeText = "purpose_text", cameraCount = "camera_count", pixels, viewDirection = "view_direction"
        case retentionDays = "retention_days", installYearMonth = "install_year_month", phone, latitude, longitude
        case dataDate = "data_date", updateKind = "update_kind", sourceUpdatedAt = "source_updated_at"
        case sourceModifiedAt = "source_modified_at", seenImport = "seen_import", createdAt = "created_at", updatedAt = "updated_at"
    }

    /// Column names in the order of ``binds``. Spelled out rather than derived through
    /// `Encodable` with snake-case conversion, which cost a third of an import's time.
    static let columns = [
        "id", "registry_key", "local_government_code", "management_number", "agency", "road_address", "lot_address",
        "purpose", "purpose_text", "camera_count", "pixels", "view_direction", "retention_days", "install_year_month",
        "phone", "latitude", "longitude", "data_date", "update_kind", "source_updated_at", "source_modified_at",
        "seen_import", "created_at", "updated_at",
    ]

    /// The row's values as bound parameters, in the order of ``columns``.
    var binds: [any SQLExpression] {
        [
            SQLBind(id), SQLBind(registryKey), SQLBind(localGovernmentCode), SQLBind(managementNumber), SQLBind(agency),
            SQLBind(roadAddress), SQLBind(lotAddress), SQLBind(purpose), SQLBind(purposeText), SQLBind(cameraCount),
            SQLBind(pixels), SQLBind(viewDirection), SQLBind(retentionDays), SQLBind(installYearMonth), SQLBind(phone),
            SQLBind(latitude), SQLBind(longitude), SQLBind(dataDate), SQLBind(updateKind), SQLBind(sourceUpdatedAt),
            SQLBind(sourceModifiedAt), SQLBind(seenImport), SQLBind(createdAt), SQLBind(updatedAt),
        ]
    }
}

/// The stored shape of a camera.
struct CameraRow: Codable {
    var id: UUID
    var siteId: UUID
    var position: Int
    var name: String?
    var enabled: Bool
    var createdAt: Date
    var updatedAt: Date

    var camera: Camera { Camera(id: id, siteID: siteId, position: position, name: name, enabled: enabled) }

    enum CodingKeys: String, CodingKey {
        case id, siteId = "site_id", position, name, enabled, createdAt = "created_at", updatedAt = "updated_at"
    }

    /// Column names in the order of ``binds``.
    static let columns = ["id", "site_id", "position", "name", "enabled", "created_at", "updated_at"]

    /// The row's values as bound parameters, in the order of ``columns``.
    var binds: [any SQLExpression] {
        [SQLBind(id), SQLBind(siteId), SQLBind(position), SQLBind(name), SQLBind(enabled), SQLBind(createdAt), SQLBind(updatedAt)]
    }
}
