import CityWatchDomain
import Foundation

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
}
