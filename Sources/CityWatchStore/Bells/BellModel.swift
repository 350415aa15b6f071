import CityWatchDomain
import FluentKit
import Foundation

/// A safety emergency bell as stored: one row of the national bell data.
public final class BellModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel; repositories hand out `Bell` values, never the model.
    public static let schema = "bells"

    @ID public var id: UUID?
    /// The bell's key (``BellRecord/key``), unique: what re-imports update by and presses name.
    /// (The column was `management_number`, unique, until ``KeyBellsByRowKey``.)
    @Field(key: "bell_key") public var key: String
    /// 관리번호, empty when the bell's file had none (the bell is then keyed by its number).
    @Field(key: "row_key") public var rowKey: String
    /// 안전비상벨관리번호: the installer's number, not unique.
    @Field(key: "management_number") public var managementNumber: String
    /// The key before a file's 관리번호 re-keyed the bell (``BellRekeying``), which a bell set up
    /// earlier still presses by.
    @OptionalField(key: "former_key") public var formerKey: String?
    @Field(key: "purpose") public var purpose: String
    @Field(key: "place_type") public var placeType: String
    @Field(key: "location") public var location: String
    @Field(key: "road_address") public var roadAddress: String
    @Field(key: "lot_address") public var lotAddress: String
    @Field(key: "latitude") public var latitude: Double
    @Field(key: "longitude") public var longitude: Double
    @Field(key: "link_method") public var linkMethod: String
    @Field(key: "police_linked") public var policeLinked: String
    @Field(key: "security_company_linked") public var securityCompanyLinked: String
    @Field(key: "management_office_linked") public var managementOfficeLinked: String
    @Field(key: "extra_features") public var extraFeatures: String
    @Field(key: "install_year") public var installYear: String
    @Field(key: "last_inspection_date") public var lastInspectionDate: String
    @Field(key: "last_inspection_result") public var lastInspectionResult: String
    @Field(key: "agency") public var agency: String
    @Field(key: "phone") public var phone: String
    @Field(key: "data_date") public var dataDate: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    /// The row's fields as a domain record.
    var record: BellRecord {
        var record = BellRecord()
        record.rowKey = rowKey
        record.managementNumber = managementNumber
        record.purpose = purpose
        record.placeType = placeType
        record.location = location
        record.roadAddress = roadAddress
        record.lotAddress = lotAddress
        record.latitude = latitude
        record.longitude = longitude
        record.linkMethod = linkMethod
        record.policeLinked = policeLinked
        record.securityCompanyLinked = securityCompanyLinked
        record.managementOfficeLinked = managementOfficeLinked
        record.extraFeatures = extraFeatures
        record.installYear = installYear
        record.lastInspectionDate = lastInspectionDate
        record.lastInspectionResult = lastInspectionResult
        record.agency = agency
        record.phone = phone
        record.dataDate = dataDate
        return record
    }

    /// The bell as the domain knows it.
    var bell: Bell {
        get throws { Bell(id: try requireID(), record: record, formerKey: formerKey) }
    }

    /// Copies every field of `record` into the row (the key with them).
    func assign(_ record: BellRecord) {
        key = record.key
        rowKey = record.rowKey
        managementNumber = record.managementNumber
        purpose = record.purpose
        placeType = record.placeType
        location = record.location
        roadAddress = record.roadAddress
        lotAddress = record.lotAddress
        latitude = record.latitude
        longitude = record.longitude
        linkMethod = record.linkMethod
        policeLinked = record.policeLinked
        securityCompanyLinked = record.securityCompanyLinked
        managementOfficeLinked = record.managementOfficeLinked
        extraFeatures = record.extraFeatures
        installYear = record.installYear
        lastInspectionDate = record.lastInspectionDate
        lastInspectionResult = record.lastInspectionResult
        agency = record.agency
        phone = record.phone
        dataDate = record.dataDate
    }
}

/// Creates `bells`.
struct CreateBells: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BellModel.schema)
            .id()
            .field("management_number", .string, .required)
            .field("purpose", .string, .required)
            .field("place_type", .string, .required)
            .field("location", .string, .required)
            .field("road_address", .string, .required)
            .field("lot_address", .string, .required)
            .field("latitude", .double, .required)
            .field("longitude", .double, .required)
            .field("link_method", .string, .required)
            .field("police_linked", .string, .required)
            .field("security_company_linked", .string, .required)
            .field("management_office_linked", .string, .required)
            .field("extra_features", .string, .required)
            .field("install_year", .string, .required)
            .field("last_inspection_date", .string, .required)
            .field("last_inspection_result", .string, .required)
            .field("agency", .string, .required)
            .field("phone", .string, .required)
            .field("data_date", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "management_number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BellModel.schema).delete()
    }
}
