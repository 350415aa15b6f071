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
import VaporTesting

/// An export destroyed before its days are over (its purpose met): by a privacy officer or an
/// administrator, with a reason, never while a legal hold covers it, on every node's copy, and
/// said to everyone who asks for it afterwards.
@Suite("Export destruction", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct ExportDestructionTests {
    struct Listed: Decodable {
        var id: UUID
        var deletedAt: Date?
        var download: String?
        var destroyedBy: String?
        var destroyReason: String?
    }

    struct Destroyed: Decodable {
        var id: UUID
        var destroyedBy: String
        var reason: String
        var cameraIds: [UUID]
    }

    /// Two cameras with six seconds recorded from `start`, in a group a privacy officer has.
    static func recordedCameras(_ app: Application) async throws
        -> (cameras: [UUID], start: Date, admin: TestSession, group: UUID, privacy: TestSession) {
        let cameras = try await app.makeCameras(2)
        let start = Date().addingTimeInterval(-600)
        for camera in cameras { _ = try await app.recordSixSeconds(camera: camera, start: start) }
        let admin = try await app.signIn(as: .administrator)
        let group = try await AccessChangeSocketTests.group("school gates", cameras, app: app, admin: admin)
        return (cameras, start, admin, group, try await app.signIn(as: .privacyOfficer, groups: [group]))
    }

    @Test func aPrivacyOfficerDestroysAnExportWithAReasonAndEveryNodeGivesItOutNoMore() async throws {
        try await withCityWatch(.sqlite) { app in
            let (cameras, start, admin, group, privacy) = try await Self.recordedCameras(app)
            let exporter = try await app.signIn(as: .operator, groups: [group])
            let service = EvidenceService(database: app.db, configuration: app.cityWatch.configuration)
            var made: [UUID] = []
            for camera in cameras {
                let (manifest, _) = try await service.export(cameraIDs: [camera], from: start.addingTimeInterval(1), to: start.addingTimeInterval(5),
                                                             reason: "민원 2026-93", actor: exporter.username)
                made.append(manifest.exportId)
            }
            func path(_ id: UUID) -> String { (service.exportsDirectory as NSString).appendingPathComponent(id.uuidString.lowercased()) }
            func destroy(_ id: UUID, as user: TestSession, body: String = #"{"reason": "경찰 제공 완료, 사건 종결 2026-77"}"#)
                async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.DELETE, "/api/exports/\(id.uuidString.lowercased())", headers: user.headers, body: .text(body))
            }
            func download(_ id: UUID, as user: TestSession) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.GET, "/api/exports/\(id.uuidString.lowercased())/download", headers: user.headers)
            }
            _ = try await download(made[0], as: admin)
            #expect(FileManager.default.fileExists(atPath: path(made[0]) + ".zip"))
            _ = try await RecordingRepository(database: app.db).addHold(camera: cameras[1], from: start, to: start.addingTimeInterval(60),
                                                                        reason: "수사 협조", by: "privacy", now: Date())

            // Refused: the operator who made it, a reason too short, a key not asked for, an
            // export nobody made, and one whose footage a legal hold keeps.
            #expect(try await destroy(made[0], as: exporter).status == .forbidden)
            let short = try await destroy(made[0], as: privacy, body: #"{"reason": " x "}"#)
            #expect(short.status == .badRequest && short.body.string.contains("3–500"), "\(short.body.string)")
            #expect(try await destroy(made[0], as: privacy, body: #"{"reason": "사건 종결", "now": true}"#).status == .badRequest)
            let unknown = try await destroy(UUID(), as: privacy)
            #expect(unknown.status == .notFound, "\(unknown.body.string)")
            let held = try await destroy(made[1], as: privacy)
            #expect(held.status == .conflict && held.body.string.contains(cameras[1].uuidString) && held.body.string.contains("hold"),
                    "\(held.body.string)")
            #expect(FileManager.default.fileExists(atPath: path(made[1])))
            // A privacy officer whose groups do not hold the camera learns nothing of the export.
            let outsider = try await app.signIn(as: .privacyOfficer)
            #expect(try await destroy(made[0], as: outsider).status == .notFound)
            #expect(try await AuditLog(database: app.db).list(.init(action: EvidenceService.destroyedAction, exactAction: true)).isEmpty)

            let done = try await destroy(made[0], as: privacy)
            #expect(done.status == .ok, "\(done.body.string)")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let destroyed = try decoder.decode(Destroyed.self, from: Data(done.body.readableBytesView))
            #expect(destroyed.id == made[0] && destroyed.destroyedBy == privacy.username && destroyed.cameraIds == [cameras[0]])
            #expect(destroyed.reason == "경찰 제공 완료, 사건 종결 2026-77")
            #expect(!FileManager.default.fileExists(atPath: path(made[0])) && !FileManager.default.fileExists(atPath: path(made[0]) + ".zip"))
            let line = try #require(try await AuditLog(database: app.db).list(.init(action: EvidenceService.destroyedAction, exactAction: true)).first)
            #expect(line.actor == privacy.username && line.target == made[0].uuidString)
            #expect(line.details.contains("사건 종결 2026-77") && line.details.contains(cameras[0].uuidString)
                    && line.details.contains(exporter.username), "\(line.details)")

            // Everyone asking for it afterwards is told who destroyed it, when and why.
            let gone = try await download(made[0], as: exporter)
            #expect(gone.status == .gone && gone.body.string.contains("destroyed") && gone.body.string.contains(privacy.username)
                    && gone.body.string.contains("사건 종결 2026-77"), "\(gone.body.string)")
            #expect(try await destroy(made[0], as: privacy).status == .gone, "destroyed once")
            let response = try await app.testing().sendRequest(.GET, "/api/exports", headers: exporter.headers)
            let list = try decoder.decode([Listed].self, from: Data(response.body.readableBytesView))
            let entry = try #require(list.first { $0.id == made[0] })
            #expect(entry.deletedAt != nil && entry.download == nil && entry.destroyedBy == privacy.username
                    && entry.destroyReason == "경찰 제공 완료, 사건 종결 2026-77", "\(entry)")
            #expect(list.first { $0.id == made[1] }?.download != nil, "the held one is still kept")

            // A copy on another node (here: an export this node holds, destroyed through
            // another one) is given out no more at once, and goes at the node's next sweep.
            let (copy, copyFolder) = try await service.export(cameraIDs: [cameras[0]], from: start.addingTimeInterval(1),
                                                              to: start.addingTimeInterval(5), reason: "민원 2026-94", actor: exporter.username)
            try await AuditLog(database: app.db).append(AuditEvent(
                actor: privacy.username, action: EvidenceService.destroyedAction, target: copy.exportId.uuidString,
                details: ["reason": .string("사건 종결 2026-78"), "node": .string("node-a"),
                          "cameras": .list([.string(cameras[0].uuidString)])]))
            #expect(try await download(copy.exportId, as: exporter).status == .gone)
            #expect(FileManager.default.fileExists(atPath: copyFolder))
            let swept = try await ExportSweeper(database: { app.db }, configuration: app.cityWatch.configuration, node: "node-b").sweep()
            #expect(swept.destroyedCopies == [copy.exportId] && swept.expired.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: copyFolder))
            #expect(FileManager.default.fileExists(atPath: path(made[1])), "nothing else was touched")
            let copyLine = try #require(try await AuditLog(database: app.db).list(.init(action: EvidenceService.destroyedCopyAction, exactAction: true)).first)
            #expect(copyLine.target == copy.exportId.uuidString && copyLine.actor == "system" && copyLine.details.contains("node-b"))
        }
    }

    /// During a rolling upgrade, a live node built before early destruction would go on giving
    /// out its copy: the destruction waits, saying which node, until that node is gone.
    @Test func aClusterWithALiveNodeBuiltBeforeEarlyDestructionRefusesItNamingTheNode() async throws {
        try await withCityWatch(.postgres) { app in
            let (cameras, start, _, _, privacy) = try await Self.recordedCameras(app)
            let service = EvidenceService(database: app.db, configuration: app.cityWatch.configuration)
            let (manifest, _) = try await service.export(cameraIDs: [cameras[0]], from: start.addingTimeInterval(1),
                                                         to: start.addingTimeInterval(5), reason: "민원 2026-94", actor: privacy.username)
            let id = manifest.exportId.uuidString.lowercased()
            let store = ClusterStore(database: app.db)
            let old = UUID()
            try await store.register(name: "node-old", instance: old, address: "http://10.0.0.1:8080", capacity: 8,
                                     version: "schema 27", liveSeconds: 600)
            try await store.register(name: "node-new", instance: UUID(), address: "http://10.0.0.2:8080", capacity: 8,
                                     version: ClusterNodeVersion.current(schema: 28), liveSeconds: 600)
            let body = #"{"reason": "경찰 제공 완료, 사건 종결 2026-78"}"#
            let refused = try await app.testing().sendRequest(.DELETE, "/api/exports/\(id)", headers: privacy.headers, body: .text(body))
            #expect(refused.status == .conflict, "\(refused.body.string)")
            #expect(refused.body.string.contains("node-old (schema 27)") && !refused.body.string.contains("node-new")
                    && refused.body.string.contains("rolling upgrade"), "\(refused.body.string)")
            #expect(FileManager.default.fileExists(atPath: (service.exportsDirectory as NSString).appendingPathComponent(id)))
            let audit = try await AuditLog(database: app.db).list(.init(limit: 50))
            #expect(!audit.contains { $0.action == EvidenceService.destroyedAction }, "nothing destroyed, nothing logged as destroyed")

            // The old node stopped (drained and replaced): the destruction goes ahead.
            try await store.markStopped(name: "node-old", instance: old)
            let destroyed = try await app.testing().sendRequest(.DELETE, "/api/exports/\(id)", headers: privacy.headers, body: .text(body))
            #expect(destroyed.status == .ok, "\(destroyed.body.string)")
        }
    }

    @Test func aNodeVersionStatesItsLevelAndOneWithoutCountsAsTheFirst() {
        #expect(ClusterNodeVersion.level(of: ClusterNodeVersion.current(schema: 28)) == ClusterNodeVersion.level)
        #expect(ClusterNodeVersion.level(of: "schema 27") == 1)
        #expect(ClusterNodeVersion.level(of: "schema 30, level 7") == 7)
        #expect(ClusterNodeVersion.level(of: "schema 30, level x") == 1)
        #expect(ClusterNodeVersion.level >= ClusterNodeVersion.destroysExports)
    }
}
