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
        let model = ProvisionRequestModel()
        model.id = request.id
        try fill(model, with: request)
        try await model.create(on: database)
    }

    /// Stores a request's new state.
    public func save(_ request: ProvisionRequest) async throws {
        guard let model = try await ProvisionRequestModel.find(request.id, on: database) else {
            throw ProvisionStoreError.notFound(request.id)
        }
        try fill(model, with: request)
        try await model.update(on: database)
    }

    /// The request `id`, if stored.
    public func request(_ id: UUID) async throws -> ProvisionRequest? {
        try await ProvisionRequestModel.find(id, on: database).map { try Self.decode(ProvisionRequest.self, $0.document) }
    }

    /// Requests newest first; only those filed by `requestedBy` when given.
    public func requests(requestedBy: String? = nil, limit: Int = 500) async throws -> [ProvisionRequest] {
        let query = ProvisionRequestModel.query(on: database)
        if let requestedBy { query.filter(\.$requestedBy == requestedBy) }
        return try await query.sort(\.$requestedAt, .descending).limit(limit).all()
            .map { try Self.decode(ProvisionRequest.self, $0.document) }
    }

    private func fill(_ model: ProvisionRequestModel, with request: ProvisionRequest) throws {
        model.status = request.status.rawValue
        model.requestedBy = request.requestedBy
        model.requestedAt = request.requestedAt
        model.document = try Self.encode(request)
    }

    // MARK: Ledger

    /// Appends a ledger line; fails when the request already has one.
    public func append(_ entry: ProvisionLedgerEntry) async throws {
        let model = ProvisionLedgerModel()
        model.id = entry.id
        model.requestID = entry.requestId
        model.exportID = entry.exportId
        model.providedAt = entry.providedAt
        model.document = try Self.encode(entry)
        try await model.create(on: database)
    }

    /// The ledger, oldest first, optionally within `from..<to` of the provision time.
    public func ledger(from: Date? = nil, to: Date? = nil) async throws -> [ProvisionLedgerEntry] {
        let query = ProvisionLedgerModel.query(on: database)
        if let from { query.filter(\.$providedAt >= from) }
        if let to { query.filter(\.$providedAt < to) }
        return try await query.sort(\.$providedAt).all().map { try Self.decode(ProvisionLedgerEntry.self, $0.document) }
    }

    // MARK: Data-subject requests

    /// Stores a new data-subject request.
    public func create(_ request: DataSubjectRequest) async throws {
        let model = DataSubjectRequestModel()
        model.id = request.id
        try fill(model, with: request)
        try await model.create(on: database)
    }

    /// Stores a data-subject request's new state.
    public func save(_ request: DataSubjectRequest) async throws {
        guard let model = try await DataSubjectRequestModel.find(request.id, on: database) else {
            throw ProvisionStoreError.notFound(request.id)
        }
        try fill(model, with: request)
        try await model.update(on: database)
    }

    /// The data-subject request `id`, if stored.
    public func subjectRequest(_ id: UUID) async throws -> DataSubjectRequest? {
        try await DataSubjectRequestModel.find(id, on: database).map { try Self.decode(DataSubjectRequest.self, $0.document) }
    }

    /// Data-subject requests, the nearest deadline first.
    public func subjectRequests(limit: Int = 500) async throws -> [DataSubjectRequest] {
        try await DataSubjectRequestModel.query(on: database).sort(\.$deadline).limit(limit).all()
            .map { try Self.decode(DataSubjectRequest.self, $0.document) }
    }

    private func fill(_ model: DataSubjectRequestModel, with request: DataSubjectRequest) throws {
        model.status = request.status.rawValue
        model.receivedAt = request.receivedAt
        model.deadline = request.deadline
        model.document = try Self.encode(request)
    }

    // MARK: Documents

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
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
