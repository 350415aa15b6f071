import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Vapor

/// Login, logout, the current session and the user's own password.
struct SessionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api")
        api.endpoint(.POST, "login", access: .open, use: login)
        api.endpoint(.POST, "logout", access: .signedIn, duringPasswordChange: true, use: logout)
        api.endpoint(.GET, "session", access: .signedIn, duringPasswordChange: true, use: current)
        api.endpoint(.POST, "session", "password", access: .signedIn, duringPasswordChange: true, use: changePassword)
    }

    func login(req: Request) async throws -> Response {
        // A login form posted from another site would sign the victim in as the attacker. A
        // sandboxed frame or a data: page sends `Origin: null`: no site of ours does.
        if let origin = req.headers.first(name: .origin) {
            guard origin != "null" else { throw Abort(.forbidden, reason: "login from a page without an origin (Origin: null) is refused") }
            guard req.isSameOrigin(origin) else { throw Abort(.forbidden, reason: "login from another site (Origin \(origin.prefix(80))) is refused") }
        }
        // Only JSON: a form or a text/plain body is what another site can post without asking.
        guard req.headers.contentType == .json else {
            throw Abort(.unsupportedMediaType, reason: "a login is sent as JSON (Content-Type: application/json)")
        }
        let body = try req.decodeStrict(LoginRequest.self)
        guard body.username.count <= 64, body.password.utf8.count <= 1024 else {
            throw Abort(.badRequest, reason: "user name or password is too long")
        }
        switch try await req.accounts.login(username: body.username, password: body.password,
                                            address: req.clientAddress, guard: req.cityWatch.loginGuard,
                                            refusals: req.cityWatch.refusals) {
        case .rejected:
            req.logger.notice("login failed", metadata: ["user": .string(String(body.username.prefix(64))), "address": .string(req.clientAddress)])
            throw Abort(.unauthorized, reason: "wrong user name or password")
        case .throttled(let seconds):
            req.logger.warning("login throttled", metadata: ["user": .string(String(body.username.prefix(64))), "address": .string(req.clientAddress)])
            throw Abort(.tooManyRequests, headers: ["Retry-After": "\(seconds)"],
                        reason: "too many failed logins; try again in \(seconds) s")
        case let .success(user, token, csrf):
            let groups = try await req.accounts.grants()[try user.requireID()] ?? []
            let response = try await SessionDTO(user: UserDTO(user, groupIDs: groups), csrfToken: csrf).encodeResponse(for: req)
            response.cookies[AccessMiddleware.cookieName] = HTTPCookies.Value(
                string: token, maxAge: Int(req.cityWatch.configuration.sessionLifetime), path: "/",
                isSecure: req.cityWatch.configuration.secureCookies, isHTTPOnly: true, sameSite: .strict)
            return response
        }
    }

    func logout(req: Request) async throws -> Response {
        let user = try req.requireUser()
        if let token = req.cookies[AccessMiddleware.cookieName]?.string {
            try await req.accounts.logout(token: token, actor: user.username)
            // A session ended, nobody's rights changed: the sockets' own 2 s check ends that
            // session's views; waking every socket in the process for it would be waste.
            req.cityWatch.sessions.clear()
        }
        let response = Response(status: .noContent)
        response.cookies[AccessMiddleware.cookieName] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
            isSecure: req.cityWatch.configuration.secureCookies, isHTTPOnly: true, sameSite: .strict)
        return response
    }

    func current(req: Request) async throws -> SessionDTO {
        let signedIn = try req.requireUser()
        guard let user = try await UserModel.find(signedIn.id, on: req.db) else { throw Abort(.unauthorized, reason: "sign in first") }
        return SessionDTO(user: try UserDTO(user, groupIDs: try await req.accounts.grants()[signedIn.id] ?? []),
                          csrfToken: signedIn.csrfToken)
    }

    func changePassword(req: Request) async throws -> HTTPStatus {
        let signedIn = try req.requireUser()
        let body = try req.decodeStrict(PasswordChangeRequest.self)
        guard let user = try await UserModel.find(signedIn.id, on: req.db) else { throw Abort(.unauthorized, reason: "sign in first") }
        try await req.accounts.changePassword(user: user, current: body.currentPassword, new: body.newPassword,
                                              keepSession: signedIn.sessionID)
        req.cityWatch.sessions.clear()
        return .noContent
    }
}
