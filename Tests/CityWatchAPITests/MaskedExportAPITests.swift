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

/// Who gets what behind a privacy mask when exporting through the API, and when downloading an
/// export someone else made: what a download holds follows the downloader's role.
@Suite("Masked exports", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct MaskedExportAPITests {
    struct Created: Decodable {
        struct Manifest: Decodable {
            struct Camera: Decodable {
                var cameraId: UUID
                var masked: Bool?
            }

            var cameras: [Camera]
        }

        var id: UUID
        var manifest: Manifest
    }

    @Test func anOperatorsExportIsMaskedAndAnAdministratorsIsAsRecorded() async throws {
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            // Six seconds recorded into 2-second segments, as the recorder writes them.
            let start = Date().addingTimeInterval(-600)
            _ = try await app.recordSixSeconds(camera: camera, start: start)
            let mask = ImagePolygon(points: [ImagePoint(x: 0.6, y: 0.1), ImagePoint(x: 0.9, y: 0.1), ImagePoint(x: 0.9, y: 0.5)])
            try await AnalyticsRepository(database: app.db).setSettings(CameraAnalyticsSettings(privacyMasks: [mask]), for: camera, by: "test", now: Date())

            let admin = try await app.signIn(as: .administrator)
            let group = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                            body: .text("{\"name\": \"yard\", \"rule\": {\"cameraIds\": [\"\(camera)\"]}}"))
            let groupID = try #require(group.body.string.split(separator: "\"").firstIndex(of: "id").flatMap { UUID(uuidString: String(group.body.string.split(separator: "\"")[$0 + 2])) })
            let officer = try await app.signIn(as: .operator, groups: [groupID])
            let formatter = ISO8601DateFormatter()
            let body = "{\"cameraIds\": [\"\(camera)\"], \"from\": \"\(formatter.string(from: start.addingTimeInterval(1)))\", \"to\": \"\(formatter.string(from: start.addingTimeInterval(5)))\", \"reason\": \"민원 2026-88\"}"
            var made: [UUID] = []
            for (user, masked) in [(officer, true), (admin, false)] {
                let response = try await app.testing().sendRequest(.POST, "/api/exports", headers: user.headers, body: .text(body))
                #expect(response.status == .created, "\(response.body.string)")
                let created = try JSONDecoder().decode(Created.self, from: Data(response.body.readableBytesView))
                #expect(created.manifest.cameras.first?.masked == (masked ? true : nil), "\(user.username)")
                made.append(created.id)
            }
            func download(_ export: UUID, as user: TestSession) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.GET, "/api/exports/\(export.uuidString.lowercased())/download", headers: user.headers)
            }
            // The administrator's unmasked export, fetched by id by the operator: refused, naming why.
            let taken = try await download(made[1], as: officer)
            #expect(taken.status == .forbidden && taken.body.string.contains("privacy masks"), "\(taken.status) \(taken.body.string.prefix(200))")
            #expect(try await AuditLog(database: app.db).list(.init(action: "video.export.download.refused")).count == 1)
            #expect(try await download(made[0], as: officer).status == .ok, "the operator's own, masked")
            #expect(try await download(made[0], as: admin).status == .ok)
            #expect(try await download(made[1], as: admin).status == .ok)
        }
    }
}
