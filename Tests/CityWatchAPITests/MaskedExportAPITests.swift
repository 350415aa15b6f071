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

/// Who gets what behind a privacy mask when exporting through the API.
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
            for (user, masked) in [(officer, true), (admin, false)] {
                let response = try await app.testing().sendRequest(.POST, "/api/exports", headers: user.headers, body: .text(body))
                #expect(response.status == .created, "\(response.body.string)")
                let created = try JSONDecoder().decode(Created.self, from: Data(response.body.readableBytesView))
                #expect(created.manifest.cameras.first?.masked == (masked ? true : nil), "\(user.username)")
            }
        }
    }
}
