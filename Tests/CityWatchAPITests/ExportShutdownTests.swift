import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Testing
import Vapor

/// Evidence exports that cannot finish leave no export behind. A server stopping while an export
/// runs inside its request stops it once the server has waited its limit, and its caller hears
/// why; the store is not closed under it. An export the audit log cannot hold is taken back.
@Suite("Evidence exports that cannot finish", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct ExportShutdownTests {
    @Test(.timeLimit(.minutes(2)))
    func aServerStoppingStopsAnExportThatWouldOutlastItAndLeavesNothingBehind() async throws {
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            // Half an hour of footage behind a privacy mask: an operator's export re-encodes it
            // all, which takes far longer than the server waits at shutdown.
            let start = Date().addingTimeInterval(-7_200)
            _ = try await app.record(camera: camera, start: start, segments: 900)
            let mask = ImagePolygon(points: [ImagePoint(x: 0, y: 0), ImagePoint(x: 0.5, y: 0), ImagePoint(x: 0.5, y: 1), ImagePoint(x: 0, y: 1)])
            try await AnalyticsRepository(database: app.db).setSettings(CameraAnalyticsSettings(privacyMasks: [mask]), for: camera, by: "test", now: Date())
            let officer = try await operatorOf(camera, app: app, admin: try await app.signIn(as: .administrator))
            let exports = EvidenceService(database: app.db, configuration: app.cityWatch.configuration).exportsDirectory

            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = 0
            app.http.server.configuration.shutdownTimeout = .seconds(1)
            // Made now, before the service runs: the server is made on first use, and two first
            // uses at once (the service starting it, `port(of:)` polling it) would each make one
            // and drop the other unstopped, which Vapor treats as a fatal error.
            _ = app.http.server.shared
            let group = ServiceGroup(configuration: .init(services: [.init(service: HTTPServerService(app: app, drainLimit: .seconds(1)))],
                                                          logger: Logger(label: "test")))
            let serving = Task { try await group.run() }
            let port = try await Self.port(of: app)
            let formatter = ISO8601DateFormatter()
            let body = "{\"cameraIds\": [\"\(camera)\"], \"from\": \"\(formatter.string(from: start))\", \"to\": \"\(formatter.string(from: start.addingTimeInterval(1_800)))\", \"reason\": \"민원 2026-91\"}"
            let exporting = Task {
                try await app.client.post(URI(string: "http://127.0.0.1:\(port)/api/exports"), headers: officer.headers) { $0.body = .init(string: body) }
            }
            // Under way: ffmpeg is writing the camera's clip into the export's folder.
            let deadline = ContinuousClock.now + .seconds(30)
            while Self.files(under: exports).isEmpty {
                try #require(ContinuousClock.now < deadline, "the export never started")
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(500))

            let stopping = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await serving.value
            let stoppedAfter = ContinuousClock.now - stopping
            // One second for connections, one for requests, then the cut is stopped.
            #expect(stoppedAfter < .seconds(8), "the server took \(stoppedAfter) to stop")
            let answer = try await exporting.value
            #expect(answer.status == .serviceUnavailable, "\(answer.status) \(answer.body.map { String(buffer: $0) } ?? "")")
            #expect(answer.body.map { String(buffer: $0) }?.contains("the server stopped during the export") == true)
            #expect(Self.files(under: exports).isEmpty, "the half-written export is left: \(Self.files(under: exports))")
            let ffmpegs = (try? runProgram("/usr/bin/pgrep", ["-f", exports])) ?? ""
            #expect(ffmpegs.isEmpty, "ffmpeg still runs: \(ffmpegs)")
            // The store is still open: nothing was exported, so nothing is in the audit log as exported.
            #expect(try await AuditLog(database: app.db).list(.init(action: "video.export")).isEmpty)
        }
    }

    @Test func anExportTheAuditLogCannotHoldIsTakenBack() async throws {
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let start = Date().addingTimeInterval(-600)
            _ = try await app.recordSixSeconds(camera: camera, start: start)
            let service = EvidenceService(database: app.db, configuration: app.cityWatch.configuration)
            // The audit log out of reach (its table renamed) once the footage has been read.
            try await app.db.sql.raw("ALTER TABLE audit_log RENAME TO audit_log_away").run()
            await #expect(throws: (any Error).self, "an export was made that the audit log does not hold") {
                try await service.export(cameraIDs: [camera], from: start.addingTimeInterval(1), to: start.addingTimeInterval(5),
                                         reason: "민원 2026-92", actor: "operator1")
            }
            try await app.db.sql.raw("ALTER TABLE audit_log_away RENAME TO audit_log").run()
            #expect(Self.files(under: service.exportsDirectory).isEmpty, "an unaudited export is left: \(Self.files(under: service.exportsDirectory))")
        }
    }

    /// The port the server listens on, once it does.
    static func port(of app: Application) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let port = app.http.server.shared.localAddress?.port { return port }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Abort(.internalServerError, reason: "the server never listened")
    }

    /// Every file under `folder`, at any depth.
    static func files(under folder: String) -> [String] {
        guard let walk = FileManager.default.enumerator(atPath: folder) else { return [] }
        return walk.compactMap { $0 as? String }.filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isFolder) && !isFolder.boolValue
        }
    }
}
