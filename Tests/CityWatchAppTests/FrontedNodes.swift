import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor

/// `citywatch serve` processes on one new PostgreSQL database behind nginx from the shipped
/// configuration (``NginxFront``), as `make cluster` and a production set-up run them: the nodes
/// trust 127.0.0.1 (nginx) as a proxy, record nothing (the front is what is tested) and share an
/// administrator `chief` whose password is known to the test.
final class FrontedNodes: Sendable {
    let front: NginxFront
    let nodes: [MediaProcess]
    let ports: [Int]
    let password: String
    static let administrator = "chief"

    private init(front: NginxFront, nodes: [MediaProcess], ports: [Int], password: String) {
        (self.front, self.nodes, self.ports, self.password) = (front, nodes, ports, password)
    }

    /// Runs `body` with `count` nodes behind a front; everything is stopped and removed afterwards.
    static func with(count: Int, _ body: (FrontedNodes) async throws -> Void) async throws {
        let database = try await TestDatabase.make(.postgres)
        defer { database.drop() }
        guard case .postgres(let url) = database.location else { throw CancellationError() }
        let folder = try RepositoryPaths.temporaryFolder("front")
        defer { try? FileManager.default.removeItem(at: folder) }
        let password = try await prepareStore(url: url, folder: folder)

        let ports = (0..<count).map { _ in SyntheticRTSPCamera.freePort() }
        var nodes: [MediaProcess] = []
        defer { for node in nodes { node.forceKill() } }
        for (index, port) in ports.enumerated() {
            let data = folder.appendingPathComponent("node-\(index)")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            nodes.append(try MediaProcess(path: CommandLineTests.binary, arguments: [
                "serve", "--data-dir", data.path, "--database-url", url, "--address", "127.0.0.1:\(port)",
            ], environment: ProcessInfo.processInfo.environment.merging([
                "CITYWATCH_NODE_NAME": "front-node-\(index)", "CITYWATCH_TRUSTED_PROXIES": "127.0.0.1",
                "CITYWATCH_RECORDING": "false", "CITYWATCH_ANALYSIS_FRAMES": "false", "CITYWATCH_BCRYPT_COST": "4",
                "CITYWATCH_TILE_URL": "none", "CITYWATCH_LOG_LEVEL": "notice",
                "CITYWATCH_PUBLIC_DIR": RepositoryPaths.publicDirectory.path,
            ]) { $1 }))
        }
        for (node, port) in zip(nodes, ports) {
            try await waitUntil("the node on port \(port) answers /healthz", timeout: .seconds(60)) {
                guard node.isRunning else { return true }
                return try await runProgramDetached("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/healthz"]) == "200"
            }
            try #require(node.isRunning, "the node on port \(port) stopped while starting: \(node.standardErrorTail.suffix(8).joined(separator: "\n"))")
        }
        let front = try NginxFront(upstreams: ports)
        defer { front.stop() }
        try await body(FrontedNodes(front: front, nodes: nodes, ports: ports, password: password))
    }

    /// Migrates the new database once (so the nodes start without waiting on one another) and adds
    /// the administrator with a random password that needs no change at the first login.
    private static func prepareStore(url: String, folder: URL) async throws -> String {
        var configuration = testConfiguration(.postgres(url: url), dataDirectory: folder.appendingPathComponent("setup").path)
        configuration.recording = false
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try await configure(app, configuration: configuration)
            let accounts = Accounts(database: app.db, hasher: BcryptPasswordHasher(cost: 4, pool: app.threadPool))
            let (user, _) = try await accounts.createUser(username: administrator, role: .administrator, actor: "test")
            let password = "front-\(UUID().uuidString)"
            user.passwordHash = try Bcrypt.hash(password, cost: 4)
            user.mustChangePassword = false
            try await user.update(on: app.db)
            try await app.asyncShutdown()
            return password
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Stops node `index` with SIGTERM, as systemd does, and waits until it has exited.
    func stop(_ index: Int) async throws {
        nodes[index].terminate()
        try await waitUntil("node \(index) exits after SIGTERM", timeout: .seconds(30)) { !nodes[index].isRunning }
    }
}

/// A client of the front: HTTPS requests with curl, which checks the front's certificate against
/// the one ``NginxFront`` made (no `--insecure`).
struct FrontClient: Sendable {
    let front: NginxFront
    /// The local address the requests leave from (127.0.0.x: each one another client to nginx).
    var source = "127.0.0.1"
    /// `--http2` (what curl and browsers choose over TLS) or `--http1.1`.
    var version = "--http2"

    struct Answer: Sendable {
        var status: Int
        var headers: String
        var body: String
    }

    /// A signed-in session: the cookie and the CSRF token.
    struct Session: Sendable {
        var cookie: String
        var csrfToken: String
    }

    /// Sends `method path` with `headers` (lines `Name: value`) and `body` (JSON unless a
    /// Content-Type is among the headers).
    func send(_ method: String, _ path: String, session: Session? = nil, headers: [String] = [], body: String? = nil,
              url: String? = nil) async throws -> Answer {
        var arguments = ["-s", "-i", "--max-time", "20", version, "--cacert", front.certificate, "--interface", source, "-X", method,
                         "-w", "\n%{http_code}"]
        var lines = headers
        if let session { lines += ["Cookie: cw_session=\(session.cookie)", "X-CSRF-Token: \(session.csrfToken)"] }
        // The body goes through a file: a command-line argument holds at most 128 KiB.
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-front-body-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        if let body {
            if !lines.contains(where: { $0.lowercased().hasPrefix("content-type:") }) { lines.append("Content-Type: application/json") }
            try Data(body.utf8).write(to: bodyFile)
            arguments += ["--data-binary", "@" + bodyFile.path]
        }
        arguments += lines.flatMap { ["-H", $0] }
        arguments.append(url ?? front.url + path)
        let output = try await runProgramDetached("/usr/bin/curl", arguments)
        let end = output.lastIndex(of: "\n") ?? output.startIndex
        let code = Int(output[end...].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        var parts = String(output[..<end]).components(separatedBy: "\r\n\r\n")
        // An interim `100 Continue` comes before the answer's own headers.
        while parts.count > 1, parts[0].hasPrefix("HTTP/1.1 100") { parts.removeFirst() }
        return Answer(status: code, headers: parts.first ?? "", body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// Signs in through the front as a browser on the front's page would (with its `Origin`).
    func login(_ username: String, _ password: String, origin: String? = nil) async throws -> Answer {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["username": username, "password": password]), as: UTF8.self)
        return try await send("POST", "/api/login", headers: ["Origin: \(origin ?? front.url)"], body: body)
    }

    /// Signs in and returns the session, or fails the test with the answer.
    func signIn(_ username: String, _ password: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Session {
        let answer = try await login(username, password)
        try #require(answer.status == 200, "login through the front: \(answer.status) \(answer.body.prefix(300))", sourceLocation: sourceLocation)
        let cookie = try #require(answer.headers.firstMatch(of: /(?i)set-cookie: cw_session=([^;\r\n]+)/)?.1, "no session cookie in \(answer.headers)")
        let csrf = try #require(answer.body.firstMatch(of: /"csrfToken":"([^"]+)"/)?.1, "no CSRF token in \(answer.body.prefix(300))")
        return Session(cookie: String(cookie), csrfToken: String(csrf))
    }
}
