import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// Carries out re-taskings: stores them, swaps the camera's analytics settings for the
/// crime-watch profile and back, and writes both directions to the audit log
/// (`camera.retask`, `camera.retask.revert`).
///
/// The decisions are `RetaskingPolicy`'s; this only does what they say.
public struct RetaskingService: Sendable {
    /// What a request to re-task did.
    public struct Applied: Sendable {
        public var retasking: Retasking
        /// True when the camera was re-tasked already and only its end moved.
        public var extended: Bool
    }

    let database: any Database
    let clock: @Sendable () -> Date
    /// Called after a camera's analytics settings changed (the analytics loop reads them again).
    let settingsChanged: @Sendable () async -> Void

    public init(database: any Database, clock: @escaping @Sendable () -> Date = { Date() },
                settingsChanged: @escaping @Sendable () async -> Void = {}) {
        self.database = database
        self.clock = clock
        self.settingsChanged = settingsChanged
    }

    /// Re-tasks a camera whose registry purpose is `registryPurpose`, or extends the switch it is
    /// under; throws `RetaskingError` for a request the policy refuses.
    public func apply(_ request: RetaskingPolicy.Request, registryPurpose: CameraPurpose) async throws -> Applied {
        do {
            return try await applyOnce(request, registryPurpose: registryPurpose)
        } catch let error where !(error is RetaskingError) {
            // Someone else switched the camera between our read and our write (the store allows
            // one switch in force per camera): ours becomes an extension of theirs.
            guard try await RetaskingRepository(database: database).unreverted(camera: request.cameraID) != nil else { throw error }
            return try await applyOnce(request, registryPurpose: registryPurpose)
        }
    }

    private func applyOnce(_ request: RetaskingPolicy.Request, registryPurpose: CameraPurpose, retry: Bool = true) async throws -> Applied {
        let now = clock()
        let repository = RetaskingRepository(database: database)
        let analytics = AnalyticsRepository(database: database)
        let active = try await repository.unreverted(camera: request.cameraID)
        let plan = try RetaskingPolicy.plan(request, registryPurpose: registryPurpose, active: active,
                                            ownSettings: try await analytics.settings(for: request.cameraID), now: now)
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        switch plan {
        case .start(let retasking, let settings):
            try await database.writeTransaction { db in
                try await RetaskingRepository(database: db).insert(retasking)
                try await AnalyticsRepository(database: db).setSettings(settings, for: retasking.cameraID, by: request.by, now: now)
            }
            try await audit(.init(actor: request.by, action: "camera.retask", target: retasking.cameraID.uuidString, details: [
                "retasking": .string(retasking.id.uuidString), "from": .string(retasking.fromPurpose.code),
                "fromText": .string(retasking.fromPurpose.koreanName),
                "to": .string(retasking.toPurpose.code), "reason": .string(reason), "by": .string(request.by),
                "until": .string(Self.iso(retasking.until)), "minutes": .int(Int64(request.minutes)), "extended": .bool(false),
            ]))
            await settingsChanged()
            return Applied(retasking: retasking, extended: false)
        case .extend(let retasking, let previousUntil):
            // Reverted between the plan and now (its time ran out): it is a new switch after all.
            guard try await repository.extend(retasking.id, until: retasking.until) else {
                guard retry else { throw RetaskingError.notRetasked }
                return try await applyOnce(request, registryPurpose: registryPurpose, retry: false)
            }
            try await audit(.init(actor: request.by, action: "camera.retask", target: retasking.cameraID.uuidString, details: [
                "retasking": .string(retasking.id.uuidString), "from": .string(retasking.fromPurpose.code),
                "to": .string(retasking.toPurpose.code), "reason": .string(reason), "by": .string(request.by),
                "until": .string(Self.iso(retasking.until)), "previousUntil": .string(Self.iso(previousUntil)),
                "minutes": .int(Int64(request.minutes)), "extended": .bool(true),
            ]))
            return Applied(retasking: retasking, extended: true)
        }
    }

    /// Ends the camera's re-tasking now and gives it back its own analytics settings.
    public func revert(camera: UUID, by actor: String, reason: String? = nil) async throws -> Retasking {
        guard let active = try await RetaskingRepository(database: database).unreverted(camera: camera) else { throw RetaskingError.notRetasked }
        guard let reverted = try await revert(active, by: actor, reason: reason) else { throw RetaskingError.notRetasked }
        return reverted
    }

    /// Reverts every re-tasking whose time is over, as `system`; run at start (so a switch that
    /// ended while the server was down ends now) and then every little while.
    @discardableResult
    public func revertDue() async throws -> [Retasking] {
        let due = RetaskingPolicy.due(try await RetaskingRepository(database: database).unreverted(), at: clock())
        var done: [Retasking] = []
        for retasking in due {
            if let reverted = try await revert(retasking, by: "system", reason: "time over") { done.append(reverted) }
        }
        return done
    }

    /// The re-taskings active now, by camera.
    public func active() async throws -> [UUID: Retasking] {
        let now = clock()
        return Dictionary(try await RetaskingRepository(database: database).unreverted().filter { $0.isActive(at: now) }.map { ($0.cameraID, $0) },
                          uniquingKeysWith: { a, b in a.until >= b.until ? a : b })
    }

    private func revert(_ retasking: Retasking, by actor: String, reason: String?) async throws -> Retasking? {
        let now = clock()
        let marked = try await database.writeTransaction { db in
            guard try await RetaskingRepository(database: db).markReverted(retasking.id, at: now, by: actor) else { return false }
            // Read and written under the settings' lock: a mask saved meanwhile is not overwritten.
            try await db.lockedTransaction(AnalyticsRepository.settingsLock(retasking.cameraID)) { db in
                let analytics = AnalyticsRepository(database: db)
                let restored = RetaskingPolicy.restoredSettings(after: retasking, current: try await analytics.settings(for: retasking.cameraID))
                try await analytics.setSettings(restored, for: retasking.cameraID, by: actor, now: now)
            }
            return true
        }
        guard marked else { return nil }
        var details: [String: AuditValue] = [
            "retasking": .string(retasking.id.uuidString), "from": .string(retasking.toPurpose.code),
            "to": .string(retasking.fromPurpose.code), "toText": .string(retasking.fromPurpose.koreanName),
            "reason": .string(reason ?? retasking.reason), "by": .string(actor),
            "until": .string(Self.iso(retasking.until)), "retaskedBy": .string(retasking.by), "early": .bool(now < retasking.until),
        ]
        if reason != nil { details["retaskReason"] = .string(retasking.reason) }
        try await audit(.init(actor: actor, action: "camera.retask.revert", target: retasking.cameraID.uuidString, details: details))
        await settingsChanged()
        var reverted = retasking
        reverted.revertedAt = now
        reverted.revertedBy = actor
        return reverted
    }

    private func audit(_ event: AuditEvent) async throws {
        try await AuditLog(database: database, clock: clock).append(event)
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
