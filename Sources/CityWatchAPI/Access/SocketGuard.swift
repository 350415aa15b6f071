import CityWatchDomain
import Fluent
import Foundation
import NIOWebSocket
import Vapor

/// Asked while a WebSocket is open: nil to go on, or why the client may no longer have it (the
/// socket is then told so and closed). `accessChanged` is true when asked because users' rights
/// changed somewhere (``AccessWatch``), false on the regular tick.
typealias AccessCheck = @Sendable (_ accessChanged: Bool) async -> String?

/// Keeps long-lived sockets (live video, the alarm and event feeds) within the right that
/// opened them: a socket opened with a session ends when the session does, one opened with a
/// share token when the share is revoked or expires; when a role or camera groups change, at
/// once (``AccessWatch``) the socket ends or narrows to what its user may still see.
enum SocketGuard {
    /// How often an open socket asks whether its session (or share) still stands.
    static let interval: Duration = .seconds(2)

    /// Watches `socket` with `stillAllowed` until it closes; cancel the task when it does.
    static func watch(_ socket: WebSocket, request: Request, _ stillAllowed: @escaping AccessCheck) -> Task<Void, Never> {
        let changes = request.cityWatch.access.changes(database: { [application = request.application] in application.db })
        return Task {
            let (wakes, wake) = AsyncStream<Bool>.makeStream()
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while (try? await Task.sleep(for: interval)) != nil { wake.yield(false) }
                }
                group.addTask {
                    for await _ in changes { wake.yield(true) }
                }
                for await changed in wakes {
                    guard let reason = await stillAllowed(changed) else { continue }
                    let message = try? JSONSerialization.data(withJSONObject: ["type": "error", "status": 401, "reason": reason] as [String: Any])
                    try? await socket.send(String(decoding: message ?? Data(), as: UTF8.self))
                    try? await socket.close(code: .init(codeNumber: 4401))
                    break
                }
                group.cancelAll()
            }
        }
    }
}

/// Where a socket's user stands now.
enum SocketStanding: Sendable {
    /// Still signed in with the session that opened the socket, with a role the route allows.
    case stands(SignedInUser)
    /// Gone: why.
    case ended(String)
    /// The store could not be asked this time; ask again next time.
    case unknown
}

extension Request {
    /// How the signed-in user who opened this request's socket stands: the same session, and a
    /// role the route still allows (read fresh after any access change: ``AccessWatch`` clears
    /// the session cache first).
    func socketStanding() throws -> @Sendable () async -> SocketStanding {
        let user = try requireUser()
        let token = cookies[AccessMiddleware.cookieName]?.string ?? ""
        var allowed: Set<Role>?
        if case .roles(let roles)? = route?.access { allowed = roles }
        return { [self, allowed] in
            do {
                guard let now = try await AccessMiddleware.signedInUser(token: token, request: self), now.sessionID == user.sessionID else {
                    return .ended("your session has ended; sign in again")
                }
                if let allowed, !allowed.contains(now.role) {
                    return .ended("your role is now \(now.role.rawValue), which may not have this view")
                }
                return .stands(now)
            } catch {
                return .unknown
            }
        }
    }

    /// The check that the socket's session still stands and its role may still use the route.
    func sessionStillOpen() throws -> AccessCheck {
        let standing = try socketStanding()
        return { _ in
            if case .ended(let reason) = await standing() { return reason }
            return nil
        }
    }
}
