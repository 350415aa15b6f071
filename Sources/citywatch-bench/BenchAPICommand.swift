import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `citywatch-bench api`: the camera API under load from wrk, against a static file of the same server.
struct BenchAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Requests/s and latency of the camera API for a 20,000-camera registry under wrk load (loopback).",
        discussion: "Starts `citywatch serve` on SQLite in a temporary folder, signs in, and runs wrk against each endpoint; the console's CSS file from the same server is the baseline (the server's floor).")

    @Option(help: "Cameras in the generated registry (about 3 per site).") var cameras = 20_000
    @Option(help: "Seconds per endpoint.") var duration = 10
    @Option(help: "Open connections.") var connections = 32
    @Option(help: "wrk threads.") var threads = 1
    @Option(help: "Port for the server.") var port = 18_431
    @Option(help: "Folder of the console files (default: where `serve` finds them).") var publicDirectory: String?

    func run() async throws {
        let cityWatch = try ChildProcess.cityWatchPath()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-bench-api-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/registry.csv"
        var rows = cameras / 3
        var made = try RegistryFileGenerator(rows: rows).write(to: file)
        while made < cameras {
            rows += max(1, (cameras - made) / 3)
            made = try RegistryFileGenerator(rows: rows).write(to: file)
        }
        let configuration = try Configuration.resolve(flags: [.dataDirectory: folder, .bcryptCost: "6",
                                                              .databaseURL: "sqlite://\(folder)/citywatch.sqlite"])
        let password = "bench-password-\(UUID().uuidString.prefix(8))"
        try await withStore(configuration) { app in
            _ = try await RegistryImporter(database: app.db).importFile(at: file, actor: "bench")
            let (user, _) = try await configuration.accounts(app).createUser(username: "bench", role: .administrator, actor: "bench")
            user.passwordHash = try await configuration.hasher(app).hash(password)
            user.mustChangePassword = false
            try await user.update(on: app.db)
        }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: cityWatch)
        server.arguments = ["serve", "--address", "127.0.0.1:\(port)", "--database-url", "sqlite://\(folder)/citywatch.sqlite",
                            "--data-dir", folder, "--tile-url", "none"] + (publicDirectory.map { ["--public-dir", $0] } ?? [])
        server.environment = ProcessInfo.processInfo.environment.merging(["CITYWATCH_LOG_LEVEL": "warning"]) { $1 }
        server.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        let cookie = try await signIn(base: base, password: password)
        print("API under load: \(made.grouped) cameras (\(rows.grouped) sites), wrk -t\(threads) -c\(connections) -d\(duration)s, loopback, server and wrk on the same machine")
        let endpoints: [(String, String)] = [
            ("static file (baseline)", "/css/console.css"),
            ("GET /api/cameras page of 100", "/api/cameras?limit=100"),
            ("GET /api/cameras radius 500 m", "/api/cameras?near=37.55,126.99&radius=500"),
            ("GET /api/cameras k=10 nearest", "/api/cameras?near=37.55,126.99&k=10"),
            ("GET /api/sites (whole map)", "/api/sites"),
        ]
        // One request each first, so no endpoint pays for loading the registry into memory.
        for (_, path) in endpoints { _ = try? runWrk(url: base + path, cookie: cookie, seconds: 1, connections: 1) }
        var baseline: Double?
        for (name, path) in endpoints {
            let result = try runWrk(url: base + path, cookie: cookie)
            baseline = baseline ?? result.requestsPerSecond
            print("  \(name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(String(format: "%9.0f", result.requestsPerSecond)) req/s  p50 \(result.p50)  p99 \(result.p99)  (\(String(format: "%.2f", result.requestsPerSecond / baseline!))× baseline)")
        }
    }

    private func signIn(base: String, password: String) async throws -> String {
        var request = URLRequest(url: URL(string: base + "/api/login")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["username": "bench", "password": password])
        for _ in 0..<100 {
            if let (_, response) = try? await URLSession.shared.data(for: request), let http = response as? HTTPURLResponse,
               http.statusCode == 200, let header = http.value(forHTTPHeaderField: "Set-Cookie"),
               let token = header.split(separator: ";").first {
                return String(token)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ValidationError("the server did not start or refused the login")
    }

    private func runWrk(url: String, cookie: String, seconds: Int? = nil, connections: Int? = nil) throws -> (requestsPerSecond: Double, p50: String, p99: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = ["-t\(threads)", "-c\(connections ?? self.connections)", "-d\(seconds ?? duration)s", "--latency", "-H", "Cookie: \(cookie)",
                             "-H", "Accept-Encoding: gzip", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { throw ValidationError("wrk is not installed (apt-get install wrk)") }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        func value(after label: String) -> String {
            guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }) else { return "?" }
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? "?"
        }
        if output.contains("Non-2xx") { FileHandle.standardError.write(Data("warning: non-2xx answers from \(url)\n".utf8)) }
        return (Double(value(after: "Requests/sec:")) ?? 0, value(after: "50%"), value(after: "99%"))
    }
}
