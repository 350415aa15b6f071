import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// Shares an incident's cameras with a partner (the 112/119 centre) through a short-lived
/// token: live video of those cameras and playback of the incident's footage window, without
/// a session. Only a digest of the token is stored; every share, use and revocation is
/// audit-logged, and sharing is written to the incident's timeline.
public struct IncidentSharing: Sendable {
    /// A share as granted or resolved.
    public struct Grant: Sendable {
        public var id: UUID
        public var incidentID: UUID
        public var partner: String
        public var cameraIDs: [UUID]
        public var playbackFrom: Date
        public var playbackTo: Date
        public var expiresAt: Date
        public var revokedAt: Date?
        public var createdBy: String
    }

    /// Why a token or a share request was refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// Unknown, expired or revoked token (401).
        case unauthorized(String)
        /// A camera or time the token does not cover (403).
        case forbidden(String)

        public var description: String {
            switch self {
            case .unauthorized(let text), .forbidden(let text): text
            }
        }
    }

    /// How long a share lasts when not said.
    public static let defaultMinutes = 30
    /// The longest share.
    public static let maximumMinutes = 24 * 60

    let database: any Database
    let incidents: IncidentService
    let clock: @Sendable () -> Date

    public init(database: any Database, center: AlarmCenter, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.clock = clock
        incidents = IncidentService(database: database, center: center, clock: clock)
    }

    var repository: PlatformRepository { PlatformRepository(database: database) }
    var audit: AuditLog { AuditLog(database: database, clock: clock) }

    /// Shares `cameras` (default: all) of incident `id` with registered partner `partner` for
    /// `minutes`; returns the grant and its token (shown this once). Throws
    /// ``IncidentService/Problem`` naming the field.
    public func share(incident id: UUID, partner: String, cameras: [UUID]?, minutes: Int?, by actor: String) async throws -> (Grant, token: String) {
        let (incident, _) = try await incidents.incident(id)
        let minutes = minutes ?? Self.defaultMinutes
        guard (1...Self.maximumMinutes).contains(minutes) else {
            throw IncidentService.Problem.invalid("field 'minutes': \(minutes) is not 1–\(Self.maximumMinutes) (24 hours)")
        }
        guard let model = try await repository.partner(named: partner), model.revokedAt == nil else {
            throw IncidentService.Problem.invalid("field 'partner': no partner named '\(partner)' (see citywatch partners list)")
        }
        let chosen = cameras ?? incident.cameraIDs
        guard !chosen.isEmpty else { throw IncidentService.Problem.conflict("incident \(incident.number) has no cameras to share") }
        for camera in chosen where !incident.cameraIDs.contains(camera) {
            throw IncidentService.Problem.invalid("field 'cameraIds': camera \(camera) is not linked to incident \(incident.number)")
        }
        let now = clock()
        let window = IncidentHoldPolicy.standard.window(around: incident.occurredAt)
        let token = Accounts.randomToken()
        let share = ShareTokenModel()
        share.id = UUID()
        share.tokenHash = Accounts.digest(token)
        share.incidentID = id
        share.partner = partner
        share.cameraIDs = chosen.map(\.uuidString).joined(separator: ",")
        share.playbackFrom = window.from
        share.playbackTo = window.to
        share.createdBy = actor
        share.createdAt = now
        share.expiresAt = now.addingTimeInterval(Double(minutes) * 60)
        try await repository.addShare(share)
        try await incidents.record(.shared, "shared with \(partner): \(chosen.count) camera(s) for \(minutes) min", on: id, by: actor)
        try await audit.append(AuditEvent(actor: actor, action: "share.create", target: id.uuidString, details: [
            "partner": .string(partner), "cameras": .list(chosen.map { .string($0.uuidString) }), "minutes": .int(Int64(minutes)),
            "share": .string(share.id!.uuidString),
        ]))
        return (Self.grant(share), token)
    }

    /// The live grant of `token`, or ``Refusal/unauthorized(_:)`` saying why not.
    public func resolve(_ token: String) async throws -> Grant {
        guard !token.isEmpty, let share = try await repository.share(tokenHash: Accounts.digest(token)) else {
            throw Refusal.unauthorized("unknown share token")
        }
        guard share.revokedAt == nil else { throw Refusal.unauthorized("this share was revoked") }
        guard share.expiresAt > clock() else { throw Refusal.unauthorized("this share expired") }
        return Self.grant(share)
    }

    /// Writes one use of a share (`share.use`): which camera, what was done, from where.
    public func logUse(_ grant: Grant, camera: UUID?, what: String, address: String) async throws {
        var details: [String: AuditValue] = ["partner": .string(grant.partner), "what": .string(what), "address": .string(address),
                                             "share": .string(grant.id.uuidString)]
        if let camera { details["camera"] = .string(camera.uuidString) }
        try await audit.append(AuditEvent(actor: "share:\(grant.partner)", action: "share.use", target: grant.incidentID.uuidString, details: details))
    }

    /// The shares of incident `id`, oldest first.
    public func shares(incident id: UUID) async throws -> [Grant] {
        try await repository.shares(incident: id).map(Self.grant)
    }

    /// Revokes share `id` of incident `incident`: its token is refused from now on.
    public func revoke(share id: UUID, of incident: UUID, by actor: String) async throws -> Grant {
        guard let share = try await repository.share(id), share.incidentID == incident else {
            throw IncidentService.Problem.notFound("no share \(id)")
        }
        if share.revokedAt == nil {
            share.revokedAt = clock()
            try await repository.save(share)
            try await incidents.record(.shared, "share with \(share.partner) revoked", on: incident, by: actor)
            try await audit.append(AuditEvent(actor: actor, action: "share.revoke", target: incident.uuidString,
                                              details: ["partner": .string(share.partner), "share": .string(id.uuidString)]))
        }
        return Self.grant(share)
    }

    static func grant(_ share: ShareTokenModel) -> Grant {
        Grant(id: share.id!, incidentID: share.incidentID, partner: share.partner,
              cameraIDs: share.cameraIDs.split(separator: ",").compactMap { UUID(uuidString: String($0)) },
              playbackFrom: share.playbackFrom, playbackTo: share.playbackTo, expiresAt: share.expiresAt, revokedAt: share.revokedAt,
              createdBy: share.createdBy)
    }
}
