import CityWatchDomain
import FluentKit
import Foundation

/// Bells' secrets, their presses and drill windows.
public struct BellPressRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The bell a press, a secret or a drill names: by its key (``BellRecord/key``), its id (a
    /// UUID), or the key it had before 관리번호 re-keyed it (``Bell/formerKey``), in that order.
    /// Never by 안전비상벨관리번호 alone, which several bells may share.
    public func bell(_ reference: String) async throws -> Bell? {
        if let model = try await BellModel.query(on: database).filter(\.$key == reference).first() { return try model.bell }
        if let id = UUID(uuidString: reference), let model = try await BellModel.find(id, on: database) { return try model.bell }
        return try await BellModel.query(on: database).filter(\.$formerKey == reference).first()?.bell
    }

    /// Stores (or replaces) the bell's sealed secret.
    public func setSecret(bell: UUID, sealed: String, by actor: String, now: Date) async throws {
        let model = try await BellSecretModel.find(bell, on: database) ?? BellSecretModel()
        model.id = bell
        model.sealedSecret = sealed
        model.issuedAt = now
        model.issuedBy = actor
        try await model.save(on: database)
    }

    public func sealedSecret(bell: UUID) async throws -> String? {
        try await BellSecretModel.find(bell, on: database)?.sealedSecret
    }

    /// Records an accepted press; false when the bell already sent this nonce (a replay).
    public func recordPress(bell: UUID, nonce: String, signedAt: Date, receivedAt: Date, drill: Bool, alarm: UUID) async throws -> Bool {
        let model = BellPressModel()
        model.bellID = bell
        model.nonce = nonce
        model.signedAt = signedAt
        model.receivedAt = receivedAt
        model.drill = drill
        model.alarmID = alarm
        do {
            try await model.create(on: database)
            return true
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }

    /// Forgets the press of `bell` with `nonce` (its alarm could not be raised: the bell's
    /// retry with the same nonce must be taken, not refused as a replay).
    public func forgetPress(bell: UUID, nonce: String) async throws {
        try await BellPressModel.query(on: database).filter(\.$bellID == bell).filter(\.$nonce == nonce).delete()
    }

    /// Presses received since `since`, newest first.
    public func presses(since: Date, limit: Int = 500) async throws -> [BellPressModel] {
        try await BellPressModel.query(on: database).filter(\.$receivedAt >= since).sort(\.$receivedAt, .descending).limit(limit).all()
    }

    /// Opens a drill window for one bell, or every bell when `bell` is nil.
    @discardableResult
    public func addDrill(bell: UUID?, from: Date, until: Date, note: String, by actor: String) async throws -> BellDrillModel {
        let model = BellDrillModel()
        model.bellID = bell
        model.from = from
        model.until = until
        model.note = note
        model.createdBy = actor
        try await model.create(on: database)
        return model
    }

    /// The drill window covering `bell` at `time`, if any.
    public func drill(bell: UUID, at time: Date) async throws -> BellDrillModel? {
        try await BellDrillModel.query(on: database).filter(\.$from <= time).filter(\.$until > time)
            .group(.or) { $0.filter(\.$bellID == bell).filter(\.$bellID == nil) }.first()
    }

    /// Drill windows not yet over at `now`.
    public func drills(notEndedBy now: Date) async throws -> [BellDrillModel] {
        try await BellDrillModel.query(on: database).filter(\.$until > now).sort(\.$from).all()
    }
}
