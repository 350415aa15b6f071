import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// The partner systems allowed to send platform events (`citywatch partners`). Each gets a
/// secret, printed once and stored only as its SHA-256, which it sends as a bearer token.
///
/// Bearer rather than a request signature: the platform's gateways send over TLS and are
/// configured with one static credential per link; a bearer secret is what they can be set up
/// with, and a per-request HMAC would add body canonicalisation and clock agreement without
/// protecting anything TLS does not already protect. The secret is 256 random bits, so it
/// cannot be guessed, and revoking a partner refuses its secret at once.
public struct PlatformPartners: Sendable {
    /// A partner as listed (never its secret).
    public struct Partner: Sendable, Codable, Equatable {
        public var name: String
        public var createdAt: Date
        public var createdBy: String
        public var revokedAt: Date?
    }

    /// Why a partner operation was refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case badName(String)
        case exists(String)
        case unknown(String)

        public var description: String {
            switch self {
            case .badName(let name): "partner name '\(name)' must be 2–64 letters, digits, '-', '_' or '.'"
            case .exists(let name): "a partner named '\(name)' exists already"
            case .unknown(let name): "no partner named '\(name)'"
            }
        }
    }

    /// The prefix of every partner secret, so a leaked one is recognisable in logs and scans.
    public static let secretPrefix = "cwp_"

    let database: any Database
    let clock: @Sendable () -> Date

    public init(database: any Database, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.clock = clock
    }

    var repository: PlatformRepository { PlatformRepository(database: database) }

    /// Registers partner `name` and returns its secret (shown this once).
    public func add(_ name: String, by actor: String) async throws -> (Partner, secret: String) {
        guard (2...64).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw Problem.badName(name)
        }
        guard try await repository.partner(named: name) == nil else { throw Problem.exists(name) }
        let secret = Self.secretPrefix + Accounts.randomToken()
        let model = try await repository.add(partner: name, secretHash: Accounts.digest(secret), by: actor, at: clock())
        try await AuditLog(database: database, clock: clock).append(AuditEvent(actor: actor, action: "partner.add", target: name))
        return (Self.partner(model), secret)
    }

    public func list() async throws -> [Partner] {
        try await repository.partners().map(Self.partner)
    }

    /// Revokes partner `name`: its secret is refused from now on.
    public func revoke(_ name: String, by actor: String) async throws -> Partner {
        guard let model = try await repository.partner(named: name) else { throw Problem.unknown(name) }
        if model.revokedAt == nil {
            try await repository.revoke(model, at: clock())
            try await AuditLog(database: database, clock: clock).append(AuditEvent(actor: actor, action: "partner.revoke", target: name))
        }
        return Self.partner(model)
    }

    /// The name of the live partner whose secret is `secret`, or nil; a refusal is audit-logged
    /// (`platform.auth.refused`, with why and from where; with `refusals`, the first of a minute
    /// from one address in full and the rest summarised) and never says which check failed.
    public func authenticate(_ secret: String?, from address: String, refusals: AnonymousRefusals? = nil) async throws -> String? {
        let why: String
        var partner = ""
        if let secret, !secret.isEmpty {
            if let model = try await repository.partner(secretHash: Accounts.digest(secret)) {
                guard model.revokedAt != nil else { return model.name }
                why = "revoked"
                partner = model.name
            } else {
                why = "unknown secret"
            }
        } else {
            why = "no credential"
        }
        let audit = AuditLog(database: database, clock: clock)
        let event = AuditEvent(actor: partner.isEmpty ? "anonymous" : "platform:\(partner)", action: "platform.auth.refused", target: partner,
                               details: ["reason": .string(why), "address": .string(address)])
        if let refusals {
            try await refusals.refused(.platform, client: address, kind: why, event: event, audit: audit, now: clock())
        } else {
            try await audit.append(event)
        }
        return nil
    }

    static func partner(_ model: PartnerModel) -> Partner {
        Partner(name: model.name, createdAt: model.createdAt, createdBy: model.createdBy, revokedAt: model.revokedAt)
    }
}
