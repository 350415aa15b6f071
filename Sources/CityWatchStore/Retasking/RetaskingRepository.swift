import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// Camera re-taskings in the store: the ones that last, and the record of past ones.
public struct RetaskingRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Every re-tasking not reverted yet (due ones included), earliest end first.
    public func unreverted() async throws -> [Retasking] {
        try await RetaskingModel.query(on: database).filter(\.$revertedAt == nil).sort(\.$until).all().map(Self.retasking)
    }

    /// The camera's re-tasking that has not been reverted, if any.
    public func unreverted(camera: UUID) async throws -> Retasking? {
        try await RetaskingModel.query(on: database).filter(\.$cameraID == camera).filter(\.$revertedAt == nil)
            .sort(\.$from, .descending).first().map(Self.retasking)
    }

    /// Re-taskings reverted since `since`, newest revert first.
    public func reverted(since: Date, limit: Int = 100) async throws -> [Retasking] {
        try await RetaskingModel.query(on: database).filter(\.$revertedAt >= since)
            .sort(\.$revertedAt, .descending).limit(limit).all().map(Self.retasking)
    }

    /// Stores a new re-tasking.
    public func insert(_ retasking: Retasking) async throws {
        let model = RetaskingModel()
        model.id = retasking.id
        model.cameraID = retasking.cameraID
        model.fromPurpose = retasking.fromPurpose.koreanName
        model.toPurpose = retasking.toPurpose.code
        model.reason = retasking.reason
        model.from = retasking.from
        model.until = retasking.until
        model.createdBy = retasking.by
        model.savedSettings = String(decoding: try JSONEncoder().encode(retasking.savedSettings), as: UTF8.self)
        try await model.create(on: database)
    }

    /// Moves the end of re-tasking `id`; false when it was reverted meanwhile (by the sweep or
    /// another operator), so the extension did not happen.
    public func extend(_ id: UUID, until: Date) async throws -> Bool {
        try await !database.sql.update(RetaskingModel.schema)
            .set("until_at", to: until)
            .where("id", .equal, id)
            .where(SQLBinaryExpression(SQLColumn("reverted_at"), .is, SQLLiteral.null))
            .returning("id")
            .all().isEmpty
    }

    /// Marks re-tasking `id` reverted; false when it was reverted already (by another request or
    /// another node's sweep in the meantime), so each revert is carried out and logged once. One
    /// conditional UPDATE: of two at once, exactly one changes the row.
    public func markReverted(_ id: UUID, at: Date, by actor: String) async throws -> Bool {
        let changed = try await database.sql.update(RetaskingModel.schema)
            .set("reverted_at", to: at)
            .set("reverted_by", to: actor)
            .where("id", .equal, id)
            .where(SQLBinaryExpression(SQLColumn("reverted_at"), .is, SQLLiteral.null))
            .returning("id")
            .all()
        return !changed.isEmpty
    }

    static func retasking(_ model: RetaskingModel) throws -> Retasking {
        Retasking(id: model.id ?? UUID(), cameraID: model.cameraID, fromPurpose: CameraPurpose(registryText: model.fromPurpose),
                  toPurpose: CameraPurpose(code: model.toPurpose) ?? .other(model.toPurpose), reason: model.reason,
                  from: model.from, until: model.until, by: model.createdBy,
                  savedSettings: try JSONDecoder().decode(CameraAnalyticsSettings.self, from: Data(model.savedSettings.utf8)),
                  revertedAt: model.revertedAt, revertedBy: model.revertedBy)
    }
}
