import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Crypto
import Fluent
import FluentKit
import Foundation
import Vapor

/// The signed-in user of a request, set by ``AccessMiddleware``.
public struct SignedInUser: Sendable {
    public let id: UUID
    public let username: String
    public let role: Role
    public let sessionID: UUID
    public let csrfToken: String
    public let mustChangePassword: Bool
}

extension Request {
    private struct SignedInUserKey: StorageKey {
        typealias Value = SignedInUser
    }

    /// The signed-in user; present on every route behind ``AccessMiddleware``.
    public var signedInUser: SignedInUser? {
        get { storage[SignedInUserKey.self] }
        set { storage[SignedInUserKey.self] = newValue }
    }

    /// The signed-in user, or 401.
    func requireUser() throws -> SignedInUser {
        guard let user = signedInUser else { throw Abort(.unauthorized, reason: "sign in first") }
        return user
    }
}

/// Checks the session cookie (401), a pending password change and the role (403), the
/// `Origin` of a WebSocket handshake and the CSRF header on state-changing requests (403), in
/// that order.
struct AccessMiddleware: AsyncMiddleware {
    static let cookieName = "cw_session"
    static let csrfHeader = "X-CSRF-Token"

    let roles: Set<Role>
    let duringPasswordChange: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let token = request.cookies[Self.cookieName]?.string, let signedIn = try await Self.signedInUser(token: token, request: request)
        else { throw Abort(.unauthorized, reason: "sign in first (no session, or it has expired)") }
        let role = signedIn.role
        if signedIn.mustChangePassword && !duringPasswordChange {
            throw Abort(.forbidden, reason: "password change required")
        }
        guard roles.contains(role) else {
            let allowed = Role.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ")
            throw Abort(.forbidden, reason: "the role \(role.rawValue) may not do this (allowed: \(allowed))")
        }
        // A browser opening a live feed says where from; a page of another site (or none) may
        // not open one with the user's cookie (cross-site WebSocket hijacking).
        if request.headers.first(name: .upgrade)?.lowercased() == "websocket", let origin = request.headers.first(name: .origin),
           origin == "null" || !request.isSameOrigin(origin) {
            throw Abort(.forbidden, reason: "a live feed opened from another site (Origin \(origin.prefix(80))) is refused")
        }
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            let sent = request.headers.first(name: Self.csrfHeader) ?? ""
            guard Self.constantTimeEqual(sent, signedIn.csrfToken) else {
                throw Abort(.forbidden, reason: "missing or wrong \(Self.csrfHeader) header")
            }
        }
        request.signedInUser = signedIn
        return try await next.respond(to: request)
    }

    /// The user of a session token, from the cache or the store.
    static func signedInUser(token: String, request: Request) async throws -> SignedInUser? {
        let now = request.cityWatch.clock()
        if let cached = request.cityWatch.sessions.user(for: token, now: now) { return cached }
        guard let (session, user) = try await request.accounts.session(token: token), let role = Role(rawValue: user.role) else {
            return nil
        }
        let signedIn = SignedInUser(id: try user.requireID(), username: user.username, role: role,
                                    sessionID: try session.requireID(), csrfToken: session.csrfToken,
                                    mustChangePassword: user.mustChangePassword)
        request.cityWatch.sessions.remember(signedIn, for: token, now: now)
        return signedIn
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// True when `origin` (an `Origin` header) names the host and port this request was sent to.
    func isSameOrigin(_ origin: String) -> Bool {
        let uri = URI(string: origin)
        guard let host = uri.host else { return false }
        let originHost = uri.port.map { "\(host):\($0)" } ?? host
        return originHost == headers.first(name: .host)
    }
}
