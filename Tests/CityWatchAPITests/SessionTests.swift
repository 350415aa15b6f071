import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite("Sessions and passwords")
struct SessionTests {
    /// Nodes of a cluster started together on an empty store: one creates the administrator,
    /// the others find it made (none fails on the unique name), one audit line.
    @Test(arguments: DatabaseKind.allCases)
    func nodesBootstrappingTogetherCreateOneAdministrator(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let passwords = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await Accounts(database: app.db, hasher: BcryptPasswordHasher(cost: 4, pool: app.threadPool)).bootstrapAdministrator()
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(passwords.compactMap { $0 }.count == 1, "one node prints a password")
            #expect(try await UserModel.query(on: app.db).count() == 1)
            let created = try await AuditLog(database: app.db).list(.init(limit: 20)).filter { $0.action == "user.create" }
            #expect(created.count == 1 && created.first?.target == "admin")
            let password = try #require(passwords.compactMap { $0 }.first)
            _ = try await app.login(username: "admin", password: password)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func firstStartAdministratorMustChangeTheGeneratedPassword(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let accounts = Accounts(database: app.db, hasher: BcryptPasswordHasher(cost: 4, pool: app.threadPool))
            let password = try #require(try await accounts.bootstrapAdministrator())
            #expect(password.count == 20)
            #expect(try await accounts.bootstrapAdministrator() == nil)
            let session = try await app.login(username: "admin", password: password)
            let blocked = try await app.testing().sendRequest(.GET, "/api/sites", headers: session.headers)
            #expect(blocked.status == .forbidden)
            #expect(blocked.body.string.contains("password change required"))
            let weak = try await app.testing().sendRequest(.POST, "/api/session/password", headers: session.headers,
                                                           body: .json(["currentPassword": password, "newPassword": "short"]))
            #expect(weak.status == .badRequest)
            #expect(weak.body.string.contains("at least 12 characters"))
            let wrong = try await app.testing().sendRequest(.POST, "/api/session/password", headers: session.headers,
                                                            body: .json(["currentPassword": "nope", "newPassword": "a much better secret"]))
            #expect(wrong.status == .badRequest)
            let changed = try await app.testing().sendRequest(.POST, "/api/session/password", headers: session.headers,
                                                              body: .json(["currentPassword": password, "newPassword": "a much better secret"]))
            #expect(changed.status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "/api/sites", headers: session.headers).status == .ok)
            await #expect(throws: LoginFailure.self) { try await app.login(username: "admin", password: password) }
            _ = try await app.login(username: "admin", password: "a much better secret")
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func sessionCookieIsHttpOnlyStrictAndLogoutEndsIt(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let user = try await app.signIn(as: .operator)
            let response = try await app.testing().sendRequest(.POST, "/api/login", headers: ["Content-Type": "application/json"],
                                                               body: .json(["username": user.username, "password": user.password]))
            let cookie = try #require(response.headers.first(name: .setCookie))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/"))
            #expect(try await app.testing().sendRequest(.GET, "/api/session", headers: user.headers).status == .ok)
            #expect(try await app.testing().sendRequest(.POST, "/api/logout", headers: user.headers).status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "/api/session", headers: user.headers).status == .unauthorized)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func repeatedWrongPasswordsAreThrottledWithRetryAfterAndAudited(kind: DatabaseKind) async throws {
        let clock = TestClock()
        try await withCityWatch(kind, clock: clock.closure) { app in
            let user = try await app.signIn(as: .police)
            var statuses: [UInt] = []
            for _ in 0..<6 {
                let response = try await app.testing().sendRequest(.POST, "/api/login", headers: ["Content-Type": "application/json"],
                                                                   body: .json(["username": user.username, "password": "guess"]))
                statuses.append(response.status.code)
                if response.status == .tooManyRequests {
                    #expect(response.headers.first(name: "Retry-After") == "30")
                    #expect(response.body.string.contains("try again in 30 s"))
                }
            }
            #expect(statuses == [401, 401, 401, 401, 401, 429])
            // Even the right password waits out the lock.
            let right = try await app.testing().sendRequest(.POST, "/api/login", headers: ["Content-Type": "application/json"],
                                                            body: .json(["username": user.username, "password": user.password]))
            #expect(right.status == .tooManyRequests)
            let failures = try await AuditLog(database: app.db).list(.init(actor: user.username, action: "login.failed"))
            #expect(failures.count == 5)
            #expect(failures.allSatisfy { $0.details.contains("wrong password") })
            // The first attempt turned away is audited in full, the next counted into a summary.
            #expect(try await AuditLog(database: app.db).list(.init(action: "login.throttled")).count == 1)
            try await app.cityWatch.refusals.flush(audit: AuditLog(database: app.db), now: clock.closure(), force: true)
            let summary = try await AuditLog(database: app.db).list(.init(action: "anonymous.refusals"))
            #expect(summary.count == 1 && summary.first?.target == "login" && AuditDetails.int("refusals", in: summary.first?.details ?? "") == 2,
                    "\(summary.map(\.details))")
            // Once the lock has run out the right password works again.
            clock.advance(31)
            _ = try await app.login(username: user.username, password: user.password)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func unknownAndDisabledUsersGetTheSameAnswer(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let admin = try await app.signIn(as: .administrator)
            let victim = try await app.signIn(as: .maintenance)
            let users = try await app.testing().sendRequest(.GET, "/api/users", headers: admin.headers)
            let id = try #require(try users.content.decode([UserRow].self).first { $0.username == victim.username }?.id)
            let disable = try await app.testing().sendRequest(.PATCH, "/api/users/\(id)", headers: admin.headers,
                                                              body: .text("{\"disabled\": true}"))
            #expect(disable.status == .ok)
            #expect(try await app.testing().sendRequest(.GET, "/api/session", headers: victim.headers).status == .unauthorized)
            for name in [victim.username, "nobody-here"] {
                let response = try await app.testing().sendRequest(.POST, "/api/login", headers: ["Content-Type": "application/json"],
                                                                   body: .json(["username": name, "password": victim.password]))
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains("wrong user name or password"))
            }
        }
    }

    @Test func loginPostedFromAnotherSiteIsRefused() async throws {
        try await withCityWatch(.sqlite) { app in
            let user = try await app.signIn(as: .operator)
            let response = try await app.testing().sendRequest(
                .POST, "/api/login", headers: ["Content-Type": "application/json", "Origin": "https://evil.example", "Host": "citywatch.local"],
                body: .json(["username": user.username, "password": user.password]))
            #expect(response.status == .forbidden)
            // What another site can post without asking: a sandboxed frame (Origin: null), a form
            // or a text/plain body. None signs anyone in.
            let credentials = "{\"username\": \"\(user.username)\", \"password\": \"\(user.password)\"}"
            let opaque = try await app.testing().sendRequest(.POST, "/api/login", headers: ["Content-Type": "application/json", "Origin": "null"],
                                                             body: .text(credentials))
            #expect(opaque.status == .forbidden && opaque.headers.setCookie == nil, "\(opaque.status)")
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                let simple = try await app.testing().sendRequest(.POST, "/api/login", headers: ["Content-Type": type], body: .text(credentials))
                #expect(simple.status == .unsupportedMediaType && simple.headers.setCookie == nil, "\(type): \(simple.status)")
            }
        }
    }

    struct UserRow: Decodable {
        var id: UUID
        var username: String
    }
}
