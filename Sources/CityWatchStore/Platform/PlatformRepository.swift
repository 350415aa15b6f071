import FluentKit
import Foundation

/// Reads and writes platform partners, the platform messages received and incident shares.
public struct PlatformRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    // MARK: Partners

    public func partner(named name: String) async throws -> PartnerModel? {
        try await PartnerModel.query(on: database).filter(\.$name == name).first()
    }

    /// The partner whose secret has the SHA-256 `secretHash`, revoked or not.
    public func partner(secretHash: String) async throws -> PartnerModel? {
        try await PartnerModel.query(on: database).filter(\.$secretHash == secretHash).first()
    }

    public func partners() async throws -> [PartnerModel] {
        try await PartnerModel.query(on: database).sort(\.$name).all()
    }

    public func add(partner name: String, secretHash: String, by actor: String, at now: Date) async throws -> PartnerModel {
        let model = PartnerModel()
        model.name = name
        model.secretHash = secretHash
        model.createdAt = now
        model.createdBy = actor
        try await model.create(on: database)
        return model
    }

    public func revoke(_ partner: PartnerModel, at now: Date) async throws {
        partner.revokedAt = now
        try await partner.save(on: database)
    }

    // MARK: Messages

    /// Keeps a received message as it came; nil (and nothing stored) when a message with the
    /// same event and status is kept already.
    @discardableResult
    public func keep(raw: String, partner: String, eventID: String, status: String, incident: UUID?, at now: Date) async throws -> PlatformMessageModel? {
        let model = PlatformMessageModel()
        model.partner = partner
        model.eventID = eventID
        model.status = status
        model.receivedAt = now
        model.incidentID = incident
        model.raw = raw
        do { try await model.create(on: database) } catch let error as any DatabaseError where error.isConstraintFailure {
            return nil
        }
        return model
    }

    /// Sets the incident of a kept message, or forgets the message (when opening failed).
    public func settle(_ message: PlatformMessageModel, incident: UUID?) async throws {
        if let incident {
            message.incidentID = incident
            try await message.save(on: database)
        } else {
            try await message.delete(on: database)
        }
    }

    /// The messages received for `eventID`, oldest first.
    public func messages(event eventID: String) async throws -> [PlatformMessageModel] {
        try await PlatformMessageModel.query(on: database).filter(\.$eventID == eventID).sort(\.$receivedAt).all()
    }

    public func messageCount() async throws -> Int {
        try await PlatformMessageModel.query(on: database).count()
    }

    // MARK: Shares

    public func addShare(_ share: ShareTokenModel) async throws {
        try await share.create(on: database)
    }

    /// The share whose token has the SHA-256 `tokenHash`, whatever its state.
    public func share(tokenHash: String) async throws -> ShareTokenModel? {
        try await ShareTokenModel.query(on: database).filter(\.$tokenHash == tokenHash).first()
    }

    public func share(_ id: UUID) async throws -> ShareTokenModel? {
        try await ShareTokenModel.find(id, on: database)
    }

    public func shares(incident: UUID) async throws -> [ShareTokenModel] {
        try await ShareTokenModel.query(on: database).filter(\.$incidentID == incident).sort(\.$createdAt).all()
    }

    public func save(_ share: ShareTokenModel) async throws {
        try await share.save(on: database)
    }
}
