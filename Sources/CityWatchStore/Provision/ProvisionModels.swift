import CityWatchDomain
import FluentKit
import Foundation

/// A police provision request as stored: the columns lists filter and sort by, and the whole
/// domain value as JSON (`document`), so the request reads back exactly as it was decided.
final class ProvisionRequestModel: DocumentRow, @unchecked Sendable {
    // @unchecked: see SiteModel; the repository hands out `ProvisionRequest` values, never the model.
    static let schema = "provision_requests"

    @ID var id: UUID?
    @Field(key: "status") var status: String
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "requested_at") var requestedAt: Date
    @Field(key: "document") var document: String

    init() {}

    static let dates = DocumentDates.foundation

    func index(_ request: ProvisionRequest) {
        status = request.status.rawValue
        requestedBy = request.requestedBy
        requestedAt = request.requestedAt
    }
}

/// One line of the provision ledger (개인영상정보 제공 대장); never changed once written.
final class ProvisionLedgerModel: DocumentRow, @unchecked Sendable {
    // @unchecked: see SiteModel.
    static let schema = "provision_ledger"

    @ID var id: UUID?
    /// One ledger line per request: a second export of the same request fails here.
    @Field(key: "request_id") var requestID: UUID
    @Field(key: "export_id") var exportID: UUID
    @Field(key: "provided_at") var providedAt: Date
    @Field(key: "document") var document: String

    init() {}

    static let dates = DocumentDates.foundation

    func index(_ entry: ProvisionLedgerEntry) {
        requestID = entry.requestId
        exportID = entry.exportId
        providedAt = entry.providedAt
    }
}

/// A data subject's request to see footage of themselves.
final class DataSubjectRequestModel: DocumentRow, @unchecked Sendable {
    // @unchecked: see SiteModel.
    static let schema = "data_subject_requests"

    @ID var id: UUID?
    @Field(key: "status") var status: String
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "deadline") var deadline: Date
    @Field(key: "document") var document: String

    init() {}

    static let dates = DocumentDates.foundation

    func index(_ request: DataSubjectRequest) {
        status = request.status.rawValue
        receivedAt = request.receivedAt
        deadline = request.deadline
    }
}

/// Creates `provision_requests`, `provision_ledger` and `data_subject_requests`.
struct CreateProvision: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProvisionRequestModel.schema)
            .id()
            .field("status", .string, .required)
            .field("requested_by", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("document", .string, .required)
            .create()
        try await database.schema(ProvisionLedgerModel.schema)
            .id()
            .field("request_id", .uuid, .required)
            .field("export_id", .uuid, .required)
            .field("provided_at", .datetime, .required)
            .field("document", .string, .required)
            .unique(on: "request_id")
            .create()
        try await database.schema(DataSubjectRequestModel.schema)
            .id()
            .field("status", .string, .required)
            .field("received_at", .datetime, .required)
            .field("deadline", .datetime, .required)
            .field("document", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DataSubjectRequestModel.schema).delete()
        try await database.schema(ProvisionLedgerModel.schema).delete()
        try await database.schema(ProvisionRequestModel.schema).delete()
    }
}
