import Foundation
import NIOWebSocket
import Vapor

/// Asked every ``SocketGuard/interval`` while a WebSocket is open: nil to go on, or why the
/// client may no longer have it (the socket is then told so and closed).
typealias AccessCheck = @Sendable () async -> String?

/// Keeps long-lived sockets (live video, the alarm and event feeds) within the right that
/// opened them: a socket opened with a session ends when the session does, one opened with a
/// share token when the share is revoked or expires.
enum SocketGuard {
    /// How often an open socket asks whether its client may still have it.
    static let interval: Duration = .seconds(2)

    /// Watches `socket` with `stillAllowed` until it closes; cancel the task when it does.
    static func watch(_ socket: WebSocket, _ stillAllowed: @escaping AccessCheck) -> Task<Void, Never> {
        Task {
            while (try? await Task.sleep(for: interval)) != nil {
                guard let reason = await stillAllowed() else { continue }
                let message = try? JSONSerialization.data(withJSONObject: ["type": "error", "status": 401, "reason": reason] as [String: Any])
                try? await socket.send(String(decoding: message ?? Data(), as: UTF8.self))
                try? await socket.close(code: .init(codeNumber: 4401))
                return
            }
        }
    }
}

extension Request {
    /// The check that the signed-in user's session is still the one that opened the socket.
    func sessionStillOpen() throws -> AccessCheck {
        let user = try requireUser()
        let token = cookies[AccessMiddleware.cookieName]?.string ?? ""
        return { [self] in
            do {
                let signedIn = try await AccessMiddleware.signedInUser(token: token, request: self)
                return signedIn?.sessionID == user.sessionID ? nil : "your session has ended; sign in again"
            } catch {
                return nil  // the store could not be asked this time; ask again next time
            }
        }
    }
}
