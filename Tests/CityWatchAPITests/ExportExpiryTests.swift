import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Exports are copies of footage: the retention sweep deletes them once their days are over
/// (not while a legal hold covers their footage), says so in the audit log, and a download
/// afterwards is told why it finds nothing.
@Suite("Export expiry", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct ExportExpiryTests {
    struct Created: Decodable {
        struct Manifest: Decodable { var createdAt: Date }
        var id: UUID
        var manifest: Manifest
        var keptUntil: Date
    }

    struct Listed: Decodable {
        var id: UUID
        var requestedBy: String
        var reason: String
        var cameraIds: [UUID]
        var keptUntil: Date
        var deletedAt: Date?
        var download: String?
    }

    @Test func anExportIsDeletedWhenItsDaysAreOverUnlessHeldAndItsDownloadSaysWhy() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let start = Date().addingTimeInterval(-600)
            for camera in cameras { _ = try await app.recordSixSeconds(camera: camera, start: start) }
            let admin = try await app.signIn(as: .administrator)
            let formatter = ISO8601DateFormatter()
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            var made: [Created] = []
            for camera in cameras {
                let response = try await app.testing().sendRequest(.POST, "/api/exports", headers: admin.headers, body: .text("""
                    {"cameraIds": ["\(camera)"], "from": "\(formatter.string(from: start.addingTimeInterval(1)))", \
                    "to": "\(formatter.string(from: start.addingTimeInterval(5)))", "reason": "민원 2026-91"}
                    """))
                #expect(response.status == .created, "\(response.body.string)")
                made.append(try decoder.decode(Created.self, from: Data(response.body.readableBytesView)))
            }
            let days = app.cityWatch.configuration.exportKeepDays
            #expect(days == 30, "the default")
            #expect(abs(made[0].keptUntil.timeIntervalSince(made[0].manifest.createdAt) - Double(days) * 86_400) < 1)
            func download(_ export: UUID, as user: TestSession) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.GET, "/api/exports/\(export.uuidString.lowercased())/download", headers: user.headers)
            }
            #expect(try await download(made[0].id, as: admin).status == .ok, "zipped beside its folder")
            let service = EvidenceService(database: app.db, configuration: app.cityWatch.configuration)
            func path(_ id: UUID) -> String { (service.exportsDirectory as NSString).appendingPathComponent(id.uuidString.lowercased()) }
            #expect(FileManager.default.fileExists(atPath: path(made[0].id) + ".zip"))
            // The second camera's footage is under a legal hold.
            let hold = try await RecordingRepository(database: app.db).addHold(camera: cameras[1], from: start, to: start.addingTimeInterval(60),
                                                                               reason: "수사 협조", by: "privacy", now: Date())
            // What a crash left mid-zip two hours ago goes; one being written now stays.
            let stale = path(UUID()) + ".zip.part-dead0001", fresh = path(UUID()) + ".zip.part-live0001"
            for leftover in [stale, fresh] { #expect(FileManager.default.createFile(atPath: leftover, contents: Data([1, 2, 3]))) }
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7_200)], ofItemAtPath: stale)

            func sweep(after seconds: Double) async throws -> RetentionSweeper.Report {
                try await RetentionSweeper(database: { app.db }, configuration: app.cityWatch.configuration,
                                           clock: { Date().addingTimeInterval(seconds) }).sweep()
            }
            let now = try await sweep(after: 0)
            #expect(now.exports.expired.isEmpty && now.exports.leftoversRemoved == 1)
            #expect(!FileManager.default.fileExists(atPath: stale) && FileManager.default.fileExists(atPath: fresh))
            let early = try await sweep(after: Double(days - 1) * 86_400)
            #expect(early.exports.expired.isEmpty && early.exports.keptByHolds.isEmpty)

            // The audit log cannot be written: nothing is deleted.
            try await app.db.sql.raw("ALTER TABLE audit_log RENAME TO audit_log_away").run()
            await #expect(throws: (any Error).self) { _ = try await sweep(after: Double(days + 1) * 86_400) }
            try await app.db.sql.raw("ALTER TABLE audit_log_away RENAME TO audit_log").run()
            #expect(FileManager.default.fileExists(atPath: path(made[0].id)), "put back when its deletion could not be logged")

            let late = try await sweep(after: Double(days + 1) * 86_400)
            #expect(late.exports.expired == [made[0].id])
            #expect(late.exports.keptByHolds == [made[1].id])
            #expect(!FileManager.default.fileExists(atPath: path(made[0].id)) && !FileManager.default.fileExists(atPath: path(made[0].id) + ".zip"))
            #expect(FileManager.default.fileExists(atPath: path(made[1].id)))
            let lines = try await AuditLog(database: app.db).list(.init(action: "video.export.expire"))
            #expect(lines.count == 1 && lines.first?.target == made[0].id.uuidString && lines.first?.actor == "system")
            #expect(lines.first?.details.contains(cameras[0].uuidString) == true)

            // The list of exports says which is still kept and which was deleted when.
            func listed(as user: TestSession) async throws -> [Listed] {
                let response = try await app.testing().sendRequest(.GET, "/api/exports", headers: user.headers)
                #expect(response.status == .ok, "\(response.body.string)")
                return try decoder.decode([Listed].self, from: Data(response.body.readableBytesView))
            }
            let list = try await listed(as: admin)
            #expect(list.map(\.id) == [made[1].id, made[0].id], "newest first")
            #expect(list.allSatisfy { $0.requestedBy == admin.username && $0.reason == "민원 2026-91" })
            #expect(list[0].download != nil && list[0].deletedAt == nil && list[0].cameraIds == [cameras[1]])
            #expect(list[1].download == nil && list[1].deletedAt != nil)
            #expect(abs(list[1].keptUntil.timeIntervalSince(made[0].keptUntil)) < 1)

            let gone = try await download(made[0].id, as: admin)
            #expect(gone.status == .gone, "\(gone.status)")
            #expect(gone.body.string.contains("deleted") && gone.body.string.contains("CITYWATCH_EXPORT_KEEP_DAYS"), "\(gone.body.string)")
            // Someone who may not see its camera learns nothing of it.
            let stranger = try await app.signIn(as: .operator)
            #expect(try await download(made[0].id, as: stranger).status == .notFound)
            #expect(try await listed(as: stranger).isEmpty, "nor sees it listed")
            // One camera's exports only.
            let second = try await app.testing().sendRequest(.GET, "/api/exports?cameraId=\(cameras[1])", headers: admin.headers)
            #expect(try decoder.decode([Listed].self, from: Data(second.body.readableBytesView)).map(\.id) == [made[1].id])
            let badCamera = try await app.testing().sendRequest(.GET, "/api/exports?cameraId=gate-1", headers: admin.headers)
            #expect(badCamera.status == .badRequest && badCamera.body.string.contains("gate-1"), "\(badCamera.body.string)")
            for bad in ["0", "abc", "501"] {
                let refused = try await app.testing().sendRequest(.GET, "/api/exports?limit=\(bad)", headers: admin.headers)
                #expect(refused.status == .badRequest && refused.body.string.contains("limit '\(bad)'"), "\(refused.body.string)")
            }

            // Once the hold is released the held export goes too.
            #expect(try await RecordingRepository(database: app.db).releaseHold(hold.id!, now: Date()))
            let released = try await sweep(after: Double(days + 1) * 86_400)
            #expect(released.exports.expired == [made[1].id])
            #expect(try await download(made[1].id, as: admin).status == .gone)
        }
    }

    /// A node that records nothing runs no retention sweeper; the exports made there expire all the same.
    @Test func aNodeThatRecordsNothingStillExpiresItsExports() async throws {
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let start = Date().addingTimeInterval(-600)
            _ = try await app.recordSixSeconds(camera: camera, start: start)
            let service = EvidenceService(database: app.db, configuration: app.cityWatch.configuration)
            let (manifest, folder) = try await service.export(cameraIDs: [camera], from: start.addingTimeInterval(1), to: start.addingTimeInterval(5),
                                                              reason: "민원 2026-92", actor: "operator")
            func sweep(after seconds: Double) async throws -> EvidenceService.ExportSweep {
                try await ExportSweeper(database: { app.db }, configuration: app.cityWatch.configuration, node: "node-api",
                                        clock: { Date().addingTimeInterval(seconds) }).sweep()
            }
            #expect(try await sweep(after: 86_400).expired.isEmpty)
            #expect(try await sweep(after: 31 * 86_400).expired == [manifest.exportId])
            #expect(!FileManager.default.fileExists(atPath: folder))
            let line = try #require(try await AuditLog(database: app.db).list(.init(action: "video.export.expire")).first)
            #expect(line.target == manifest.exportId.uuidString && line.details.contains("node-api"), "\(line.details)")
        }
    }
}
