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

/// Privacy masks in live video, playback and snapshots: blacked out for roles that may not see
/// behind them, as recorded for those that may, and the masking written in the audit log.
@Suite("Privacy masks in video", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct PrivacyMaskVideoAPITests {
    struct Recordings: Decodable {
        struct Segment: Decodable { var id: UUID }
        var segments: [Segment]
    }

    @Test func anOperatorSeesTheMasksBlackedOutLiveInPlaybackAndSnapshotsAndAnAdministratorDoesNot() async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true)
        let folder = try RepositoryPaths.temporaryFolder("masked-video")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let recording = try await RecordingAPITests.recordLooping(clip, camera: camera, into: folder, app: app)
            let leftHalf = ImagePolygon(points: [ImagePoint(x: 0, y: 0), ImagePoint(x: 0.5, y: 0), ImagePoint(x: 0.5, y: 1), ImagePoint(x: 0, y: 1)])
            try await AnalyticsRepository(database: app.db).setSettings(CameraAnalyticsSettings(enabled: false, privacyMasks: [leftHalf]),
                                                                        for: camera, by: "test", now: Date())
            try await whileRunning([recording]) {
                let admin = try await app.signIn(as: .administrator)
                let group = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                                body: .text("{\"name\": \"yard\", \"rule\": {\"cameraIds\": [\"\(camera)\"]}}"))
                let groupID = try #require(try JSONDecoder().decode([String: AnyDecodable].self, from: Data(group.body.readableBytesView))["id"]?.text
                    .flatMap(UUID.init(uuidString:)))
                let officer = try await app.signIn(as: .operator, groups: [groupID])

                // Live, over a real socket.
                let port = try await app.startOnFreePort()
                let masked = try await RecordingAPITests.watchLive(port: port, camera: camera, cookie: officer.cookie, fragments: 4)
                #expect(masked.masked == true && masked.codec?.hasPrefix("avc1.") == true)
                let maskedLive = try MediaFixtures.firstFrameHalves(of: masked.bytes)
                #expect(maskedLive.left < 24 && maskedLive.right > 40, "operator's live: \(maskedLive)")
                let plain = try await RecordingAPITests.watchLive(port: port, camera: camera, cookie: admin.cookie, fragments: 4)
                #expect(plain.masked == false)
                let plainLive = try MediaFixtures.firstFrameHalves(of: plain.bytes)
                #expect(plainLive.left > 40, "administrator's live: \(plainLive)")
                await app.server.shutdown()

                // A still of the camera.
                for (user, black) in [(officer, true), (admin, false)] {
                    let still = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/snapshot", headers: user.headers)
                    #expect(still.status == .ok)
                    let halves = try MediaFixtures.firstFrameHalves(of: Array(still.body.readableBytesView))
                    #expect(black ? halves.left < 24 : halves.left > 40, "\(user.username)'s snapshot: \(halves)")
                }

                // Playback of a recorded segment.
                try await RecordingAPITests.eventually { try await RecordingRepository(database: app.db).allSegments(camera: camera).count >= 1 }
                let timeline = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/recordings", headers: officer.headers)
                let segment = try #require(try JSONDecoder().decode(Recordings.self, from: Data(timeline.body.readableBytesView)).segments.first)
                for (user, black) in [(officer, true), (admin, false)] {
                    let video = try await app.testing().sendRequest(.GET, "/api/segments/\(segment.id)/video", headers: user.headers)
                    #expect(video.status == .ok && video.headers.first(name: "X-CityWatch-Masked") == (black ? "true" : nil))
                    let halves = try MediaFixtures.firstFrameHalves(of: Array(video.body.readableBytesView))
                    #expect(black ? halves.left < 24 && halves.right > 40 : halves.left > 40, "\(user.username)'s playback: \(halves)")
                }
                let ranged = try await app.testing().sendRequest(.GET, "/api/segments/\(segment.id)/video",
                                                                 headers: officer.headers.adding("Range", "bytes=100-"))
                #expect(ranged.status == .partialContent, "the masked copy is served in ranges like the recording")

                let audit = try await AuditLog(database: app.db).list(.init(action: "video"))
                let officers = audit.filter { $0.actor == officer.username }
                #expect(Set(officers.map(\.action)) == ["video.live.start", "video.live.end", "video.snapshot", "video.playback"]
                        || Set(officers.map(\.action)) == ["video.live.start", "video.snapshot", "video.playback"])
                #expect(officers.filter { $0.action != "video.live.end" }.allSatisfy { $0.details.contains("\"masked\":true") })
                #expect(audit.filter { $0.actor == admin.username }.allSatisfy { !$0.details.contains("masked") })
            }
        }
    }
}
