import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

/// Legal holds and retention periods.
struct RetentionController: RouteCollection {
    static let keepers = Access.only(.administrator, .privacyOfficer)

    func boot(routes: any RoutesBuilder) throws {
        let holds = routes.grouped("api", "holds")
        holds.endpoint(.GET, access: Self.keepers, use: listHolds)
        holds.endpoint(.POST, access: Self.keepers, use: createHold)
        holds.endpoint(.DELETE, ":id", access: Self.keepers, use: releaseHold)
        routes.endpoint(.GET, "api", "retention", access: Self.keepers, use: retention)
        routes.endpoint(.PUT, "api", "retention", access: Self.keepers, use: setRetention)
    }

    /// The active holds on cameras the user may see (a privacy officer's groups bound them as
    /// they bound creating one).
    func listHolds(req: Request) async throws -> [HoldDTO] {
        let (_, scope) = try await req.cameraView()
        return try await RecordingRepository(database: req.db).activeHolds().filter { scope.contains($0.cameraID) }.map(Self.dto)
    }

    func createHold(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let body = try req.decodeStrict(CreateHoldRequest.self)
        guard body.from < body.to else { throw Abort(.badRequest, reason: "from must be before to") }
        let reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...500).contains(reason.count) else { throw Abort(.badRequest, reason: "field 'reason' must say why, in 3–500 characters") }
        let (snapshot, scope) = try await req.cameraView()
        guard scope.contains(body.cameraId), snapshot.camera(body.cameraId) != nil else { throw Abort(.notFound, reason: "no camera \(body.cameraId)") }
        let hold = try await RecordingRepository(database: req.db).addHold(camera: body.cameraId, from: body.from, to: body.to, reason: reason,
                                                                            by: user.username, now: req.cityWatch.clock())
        try await req.audit.append(AuditEvent(actor: user.username, action: "hold.create", target: body.cameraId.uuidString,
                                              details: ["from": .string(ISO8601DateFormatter().string(from: body.from)),
                                                        "to": .string(ISO8601DateFormatter().string(from: body.to)), "reason": .string(reason)]))
        let response = try await Self.dto(hold).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func releaseHold(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        let id = try req.uuidParameter("id")
        // A hold on a camera outside the user's groups is not theirs to release (nor to know of).
        let (_, scope) = try await req.cameraView()
        guard try await RecordingRepository(database: req.db).releaseHold(id, now: req.cityWatch.clock(), mayRelease: scope.contains) else {
            throw Abort(.notFound, reason: "no active hold \(id)")
        }
        try await req.audit.append(AuditEvent(actor: user.username, action: "hold.release", target: id.uuidString))
        return .noContent
    }

    func retention(req: Request) async throws -> RetentionDTO {
        try await Self.current(req)
    }

    static func current(_ req: Request) async throws -> RetentionDTO {
        let settings = Settings(database: req.db)
        let days = RetentionSweeper.purposeDays(try await settings.all(prefixed: "retention.purpose."))
        let hours = TierMover.purposeHours(try await settings.all(prefixed: TierMover.settingPrefix))
        let configuration = req.cityWatch.configuration
        return RetentionDTO(defaultDays: configuration.defaultRetentionDays, purposes: days,
                            defaultArchiveAfterHours: configuration.archiveDirectory == nil ? nil : configuration.archiveAfterHours,
                            archiveAfterHours: hours, exportKeepDays: configuration.exportKeepDays)
    }

    func setRetention(req: Request) async throws -> RetentionDTO {
        let user = try req.requireUser()
        let body = try req.decodeStrict(RetentionDTO.self)
        let settings = Settings(database: req.db)
        for (code, days) in body.purposes {
            guard CameraPurpose(code: code) != nil || code == "other" else { throw Abort(.badRequest, reason: "unknown purpose '\(code.prefix(40))'") }
            guard (1...3_650).contains(days) else { throw Abort(.badRequest, reason: "purposes.\(code) must be 1–3650 days") }
        }
        for (code, hours) in body.archiveAfterHours ?? [:] {
            guard CameraPurpose(code: code) != nil || code == "other" else {
                throw Abort(.badRequest, reason: "archiveAfterHours: unknown purpose '\(code.prefix(40))'")
            }
            guard hours.isFinite, (0...87_600).contains(hours) else {
                throw Abort(.badRequest, reason: "archiveAfterHours.\(code) must be 0–87600 hours")
            }
        }
        let existing = try await settings.all(prefixed: "retention.purpose.")
        for key in existing.keys where body.purposes[String(key.dropFirst("retention.purpose.".count))] == nil {
            try await settings.set(named: key, to: nil)
        }
        for (code, days) in body.purposes { try await settings.set(named: "retention.purpose.\(code)", to: "\(days)") }
        var details: [String: AuditValue] = ["purposes": .object(body.purposes.mapValues { .int(Int64($0)) })]
        if let hours = body.archiveAfterHours {
            for key in try await settings.all(prefixed: TierMover.settingPrefix).keys
            where hours[String(key.dropFirst(TierMover.settingPrefix.count))] == nil {
                try await settings.set(named: key, to: nil)
            }
            for (code, value) in hours { try await settings.set(named: TierMover.settingPrefix + code, to: "\(value)") }
            details["archiveAfterHours"] = .object(hours.mapValues { .string("\($0)") })
        }
        try await req.audit.append(AuditEvent(actor: user.username, action: "retention.set", details: details))
        return try await Self.current(req)
    }

    static func dto(_ hold: LegalHoldModel) throws -> HoldDTO {
        HoldDTO(id: try hold.requireID(), cameraId: hold.cameraID, from: hold.from, to: hold.to, reason: hold.reason,
                createdBy: hold.createdBy, createdAt: hold.createdAt)
    }
}
