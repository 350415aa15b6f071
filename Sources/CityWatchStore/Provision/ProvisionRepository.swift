import CityWatchDomain
import FluentKit
import Foundation

/// Reads and writes police provision requests, the provision ledger and data-subject requests.
public struct ProvisionRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    // MARK: Provision requests

    /// Stores a new request.
    public func create(_ request: ProvisionRequest) async throws {
        try await ProvisionRequestModel.write(request, id: request.id, .create, on: database)
    }

    /// Stores a request's new state.
    public func save(_ request: ProvisionRequest) async throws {
        try await ProvisionRequestModel.write(request, id: request.id, .update(orElse: ProvisionStoreError.notFound(request.id)), on: database)
    }

    /// The request `id`, if stored.
    public func request(_ id: UUID) async throws -> ProvisionRequest? {
        try await ProvisionRequestModel.value(id, on: database)
    }

    /// Requests newest first; only those filed by `requestedBy` when given.
    public func requests(requestedBy: String? = nil, limit: Int = 500) async throws -> [ProvisionRequest] {
        let query = ProvisionRequestModel.query(on: database)
        if let requestedBy { query.filter(\.$requestedBy == requestedBy) }
        return try await query.sort(\.$requestedAt, .descending).limit(limit).values()
    }

    // MARK: Ledger

    /// Appends a ledger line; fails when the request already has one.
    public func append(_ entry: ProvisionLedgerEntry) async throws {
        try await ProvisionLedgerModel.write(entry, id: entry.id, .create, on: database)
    }

    /// The ledger line of request `id`, once it was provided.
    public func ledgerEntry(request id: UUID) async throws -> ProvisionLedgerEntry? {
        try await ProvisionLedgerModel.query(on: database).filter(\.$requestID == id).first()?.value
    }

    /// The ledger, oldest first, optionally within `from..<to` of the provision time.
    public func ledger(from: Date? = nil, to: Date? = nil) async throws -> [ProvisionLedgerEntry] {
        let query = ProvisionLedgerModel.query(on: database)
        if let from { query.filter(\.$providedAt >= from) }
        if let to { query.filter(\.$providedAt < to) }
        return try await query.sort(\.$providedAt).values()
    }

    // MARK: Data-subject requests

    /// Stores a new data-subject request.
    public func create(_ request: DataSubjectRequest) async throws {
        try await DataSubjectRequestModel.write(request, id: request.id, .create, on: database)
    }

    /// Stores a data-subject request's new state.
    public func save(_ request: DataSubjectRequest) async throws {
        try await DataSubjectRequestModel.write(request, id: request.id, .update(orElse: ProvisionStoreError.notFound(request.id)), on: database)
    }

    /// The data-subject request `id`, if stored.
    public func subjectRequest(_ id: UUID) async throws -> DataSubjectRequest? {
        try await DataSubjectRequestModel.value(id, on: database)
    }

    /// Data-subject requests, the nearest deadline first.
    public func subjectRequests(limit: Int = 500) async throws -> [DataSubjectRequest] {
        try await DataSubjectRequestModel.query(on: database).sort(\.$deadline).limit(limit).values()
    }
}

/// A stored provision record that was expected and is not there.
public enum ProvisionStoreError: Error, Equatable, CustomStringConvertible {
    /// No request with this id.
    case notFound(UUID)

    public var description: String {
        switch self {
        case .notFound(let id): "no provision record \(id)"
        }
    }
}
