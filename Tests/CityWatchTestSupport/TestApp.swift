import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

/// The configuration tests run with: a cheap bcrypt cost, no tiles, the repository's console.
public func testConfiguration(_ location: DatabaseLocation, dataDirectory: String) -> Configuration {
    var configuration = try! Configuration.resolve(flags: [
        .dataDirectory: dataDirectory, .bcryptCost: "4", .tileURL: "none",
        .publicDirectory: RepositoryPaths.publicDirectory.path,
    ])
    configuration.database = location
    return configuration
}

/// Runs `body` with a configured CityWatch app on a fresh database of `kind`, then tears both down.
/// `adjust` changes the test configuration first (another road network, say).
public func withCityWatch<T>(
    _ kind: DatabaseKind, clock: @escaping @Sendable () -> Date = { Date() },
    adjust: (inout Configuration) -> Void = { _ in },
    _ body: (Application) async throws -> T
) async throws -> T {
    let database = try await TestDatabase.make(kind)
    defer { database.drop() }
    let folder = try RepositoryPaths.temporaryFolder("data")
    defer { try? FileManager.default.removeItem(at: folder) }
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        var configuration = testConfiguration(database.location, dataDirectory: folder.path)
        adjust(&configuration)
        try await configure(app, configuration: configuration, clock: clock)
        let result = try await body(app)
        await app.server.shutdown()
        try await app.asyncShutdown()
        return result
    } catch {
        // A test that failed half-way may have left the HTTP server it started running; it must
        // stop before the app goes, or the failure would end the whole test process.
        await app.server.shutdown()
        try? await app.asyncShutdown()
        throw error
    }
}

/// A signed-in client: the cookie and CSRF token to send.
public struct TestSession: Sendable {
    public var username: String
    public var password: String
    public var cookie: String
    public var csrfToken: String

    /// Headers for a request as this user (with CSRF token and JSON content type).
    public var headers: HTTPHeaders {
        ["Cookie": "cw_session=\(cookie)", "X-CSRF-Token": csrfToken, "Content-Type": "application/json"]
    }
}

extension Application {
    /// Creates a user with `role` and a known password, signs in through the API and returns
    /// the session.
    public func signIn(as role: Role, username: String? = nil, groups: [UUID] = []) async throws -> TestSession {
        let name = username ?? "\(role.rawValue.lowercased())\(UUID().uuidString.prefix(6).lowercased())"
        let accounts = Accounts(database: db, hasher: BcryptPasswordHasher(cost: 4, pool: threadPool))
        let (user, _) = try await accounts.createUser(username: name, role: role, actor: "test")
        let password = "known-password-\(UUID().uuidString.prefix(8))"
        user.passwordHash = try Bcrypt.hash(password, cost: 4)
        user.mustChangePassword = false
        try await user.update(on: db)
        if !groups.isEmpty { _ = try await accounts.setGroups(userID: user.requireID(), groupIDs: groups, actor: "test") }
        return try await login(username: name, password: password)
    }

    /// Signs in through `POST /api/login`.
    public func login(username: String, password: String) async throws -> TestSession {
        let response = try await testing().sendRequest(.POST, "/api/login", headers: ["Content-Type": "application/json"],
                                                       body: .json(["username": username, "password": password]))
        guard response.status == .ok,
              let cookie = response.headers.setCookie?[AccessMiddleware_cookieName]?.string,
              let csrf = try? response.content.decode(CSRFOnly.self).csrfToken
        else { throw LoginFailure(status: response.status.code, body: response.body.string) }
        return TestSession(username: username, password: password, cookie: cookie, csrfToken: csrf)
    }
}

private let AccessMiddleware_cookieName = "cw_session"

private struct CSRFOnly: Decodable {
    var csrfToken: String
}

/// A login that did not succeed.
public struct LoginFailure: Error, CustomStringConvertible {
    public var status: UInt
    public var body: String
    public var description: String { "login answered \(status): \(body)" }
}

extension ByteBuffer {
    /// A JSON body from a dictionary of strings.
    public static func json(_ object: [String: String]) -> ByteBuffer {
        ByteBuffer(bytes: Array(try! JSONSerialization.data(withJSONObject: object)))
    }

    /// A body from raw text.
    public static func text(_ text: String) -> ByteBuffer {
        ByteBuffer(string: text)
    }
}

extension Application {
    /// Imports `count` single-camera sites and returns their camera ids, in address order.
    public func makeCameras(_ count: Int) async throws -> [UUID] {
        let rows = (1...count).map { RegistryFixtures.currentRow(number: $0, cameras: "1") }
        let path = try RegistryFixtures.write(Data(RegistryFixtures.csv([RegistryFixtures.currentHeader] + rows).utf8))
        _ = try await RegistryImporter(database: db).importFile(at: path, actor: "test")
        return try await RegistryRepository(database: db).loadAll().cameras.map(\.id)
    }
}

/// Reading an audit entry's details (a JSON object as text) in assertions.
public enum AuditDetails {
    /// The integer under `key`, or -1 when there is none.
    public static func int(_ key: String, in details: String) -> Int {
        guard let object = try? JSONSerialization.jsonObject(with: Data(details.utf8)) as? [String: Any],
              let value = object[key] as? NSNumber else { return -1 }
        return value.intValue
    }
}
