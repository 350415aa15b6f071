import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `citywatch-bench live`: live video's server cost with 1 and with many viewers, and its
/// glass-to-glass latency.
struct BenchLiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "CPU of one live camera with 1 viewer against N viewers, and glass-to-glass latency, on loopback.",
        discussion: "A source made here paints frames that flip between black and white every 2 s, encodes them (x264, zero-latency) and serves them over HTTP as the camera; `citywatch serve` records it and serves it live; viewers run in a separate process. Latency is from the moment a flipped frame is handed to the source's encoder to the moment a viewer has decoded it (ffmpeg decoding the WebSocket stream, as a browser would).")

    @Option(help: "Viewers for the many-viewer run.") var viewers = 50
    @Option(help: "Seconds each run measures.") var seconds = 20
    @Option(help: "First port to use (three are used).") var port = 18_451

    func run() async throws {
        let cityWatch = try ChildProcess.cityWatchPath()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-bench-live-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try FlashSource(port: port)
        defer { source.stop() }
        let configuration = try Configuration.resolve(flags: [.dataDirectory: folder.path, .databaseURL: "sqlite://\(folder.path)/citywatch.sqlite",
                                                              .bcryptCost: "6", .analysisFrames: "false"])
        let password = "bench-\(UUID().uuidString.prefix(12))"
        let camera = try await withStore(configuration) { app -> UUID in
            var record = RegistryRecord()
            record.managementNumber = "LIVE-1"
            record.purpose = .crimePrevention
            record.latitude = 37.5
            record.longitude = 127.03
            let registry = folder.appendingPathComponent("registry.csv")
            try Data((RegistryCSVWriter.header + "\r\n" + RegistryCSVWriter.line(for: record) + "\r\n").utf8).write(to: registry)
            _ = try await RegistryImporter(database: app.db).importFile(at: registry.path, actor: "bench")
            let camera = try await RegistryRepository(database: app.db).loadAll().cameras[0].id
            let sealer = try CredentialSealer.load(base64: nil, folder: folder.appendingPathComponent("keys").path)
            try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: source.url), for: camera, sealer: sealer, now: Date())
            let (user, _) = try await configuration.accounts(app).createUser(username: "bench", role: .administrator, actor: "bench")
            user.passwordHash = try await configuration.hasher(app).hash(password)
            user.mustChangePassword = false
            try await user.update(on: app.db)
            return camera
        }
        let serverPort = port + 1
        let server = try MediaProcess(path: cityWatch, arguments: [
            "serve", "--data-dir", folder.path, "--database-url", "sqlite://\(folder.path)/citywatch.sqlite", "--address", "127.0.0.1:\(serverPort)",
        ], environment: ProcessInfo.processInfo.environment.merging(["CITYWATCH_LOG_LEVEL": "warning", "CITYWATCH_ANALYSIS_FRAMES": "false"]) { $1 })
        defer { server.terminate() }
        let cookie = try await BenchHTTP.signIn(base: "http://127.0.0.1:\(serverPort)", username: "bench", password: password)
        let url = "ws://127.0.0.1:\(serverPort)/api/cameras/\(camera.uuidString)/live"
        try await BenchHTTP.waitUntilOnline(base: "http://127.0.0.1:\(serverPort)", camera: camera, cookie: cookie)
        print("live video: one camera (640×360, 25 fps, x264 zero-latency at 2 Mbit/s over HTTP), \(seconds) s per run, loopback")

        // Latency: one viewer decoding.
        let decoded = folder.appendingPathComponent("seen.txt").path
        let latencyViewer = try MediaProcess(path: ChildProcess.selfPath, arguments: [
            "live-viewers", "--url", url, "--cookie", cookie, "--count", "1", "--seconds", "\(seconds)", "--decode-to", decoded,
        ], standardOutputPath: folder.appendingPathComponent("viewer.out").path)
        while latencyViewer.isRunning { try await Task.sleep(for: .milliseconds(200)) }
        let flips = source.flips
        let seen = ((try? String(contentsOfFile: decoded, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line -> (Double, Bool)? in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let time = Double(parts[0]) else { return nil }
            return (time, parts[1] == "white")
        }
        var latencies: [Double] = []
        for (time, white) in seen {
            if let flip = flips.last(where: { $0.white == white && $0.time <= time }) { latencies.append(time - flip.time) }
        }
        let seenLatencies = latencies
        latencies.sort()
        if latencies.isEmpty {
            print("  latency: no flip was seen (\((try? String(contentsOfFile: folder.appendingPathComponent("viewer.out").path, encoding: .utf8)) ?? ""))")
            print("  server said: " + server.standardErrorTail.suffix(6).joined(separator: "\n    "))
        } else {
            // The first flip is seen while the viewer's decoder is still starting up: left out.
            let steady = latencies.count > 2 ? Array(seenLatencies.dropFirst()).sorted() : latencies
            print(String(format: "  glass-to-glass latency over %d flips (first left out): median %.0f ms, max %.0f ms",
                         steady.count, steady[steady.count / 2] * 1000, steady.last! * 1000))
        }

        // CPU: 1 viewer, then many.
        for count in [1, viewers] {
            let before = cpu(server.pid)
            let start = Date()
            let viewer = try MediaProcess(path: ChildProcess.selfPath, arguments: [
                "live-viewers", "--url", url, "--cookie", cookie, "--count", "\(count)", "--seconds", "\(seconds)",
            ], standardOutputPath: folder.appendingPathComponent("viewers-\(count).out").path)
            while viewer.isRunning { try await Task.sleep(for: .milliseconds(200)) }
            let used = cpu(server.pid) - before
            let elapsed = Date().timeIntervalSince(start)
            let report = ((try? String(contentsOfFile: folder.appendingPathComponent("viewers-\(count).out").path, encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            print(String(format: "  %3d viewer(s): server + its ffmpeg %.2f CPU s in %.0f s = %.1f %% of a core  (%@)", count, used, elapsed,
                         used / elapsed * 100, report))
        }
    }

    /// CPU seconds of the server process and its children still running.
    private func cpu(_ pid: Int32) -> Double {
        let children = ((try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? "")
            .split(separator: " ").compactMap { Int32($0) }
        return (ProcessCPU.of(pid: pid) ?? 0) + children.compactMap { ProcessCPU.of(pid: $0) }.reduce(0, +)
    }
}

/// Signs in over HTTP and returns the session cookie (`cw_session=…`).
enum BenchHTTP {
    /// Waits until the camera reports `online` (and its live video has a keyframe cached).
    static func waitUntilOnline(base: String, camera: UUID, cookie: String) async throws {
        var request = URLRequest(url: URL(string: base + "/api/cameras/\(camera.uuidString)/health")!)
        request.setValue(cookie, forHTTPHeaderField: "Cookie")
        for _ in 0..<300 {
            if let (data, _) = try? await URLSession.shared.data(for: request), String(decoding: data, as: UTF8.self).contains("\"health\":\"online\"") {
                try await Task.sleep(for: .seconds(2))
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ValidationError("the camera did not come online")
    }

    static func signIn(base: String, username: String, password: String) async throws -> String {
        var request = URLRequest(url: URL(string: base + "/api/login")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["username": username, "password": password])
        for _ in 0..<150 {
            if let (_, response) = try? await URLSession.shared.data(for: request), let http = response as? HTTPURLResponse,
               http.statusCode == 200, let header = http.value(forHTTPHeaderField: "Set-Cookie"), let token = header.split(separator: ";").first {
                return String(token)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ValidationError("the server did not start or refused the login")
    }
}
