import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import Testing
import Vapor
import VaporTesting
import WebSocketKit

/// An open live view ends when the viewer's right to watch does: a signed-out session, a
/// revoked share. Checked every two seconds while the video runs, over a real server.
@Suite("Live views end with the right to watch", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct LiveAccessTests {
    /// What a socket saw until the server closed it.
    final class Watched: Sendable {
        private let state = NIOLockedValueBox((binary: 0, texts: [String](), closed: false))
        func binary() { state.withLockedValue { $0.binary += 1 } }
        func text(_ text: String) { state.withLockedValue { $0.texts.append(text) } }
        func close() { state.withLockedValue { $0.closed = true } }
        var binaryMessages: Int { state.withLockedValue { $0.binary } }
        var texts: [String] { state.withLockedValue { $0.texts } }
        var closed: Bool { state.withLockedValue { $0.closed } }
    }

    static func open(_ url: String, headers: HTTPHeaders = [:]) async throws -> (Watched, WebSocket) {
        let watched = Watched()
        let socket = NIOLockedValueBox<WebSocket?>(nil)
        try await WebSocket.connect(to: url, headers: headers, configuration: .init(maxFrameSize: 1 << 24),
                                    on: MultiThreadedEventLoopGroup.singleton) { ws in
            socket.withLockedValue { $0 = ws }
            ws.onText { _, text in watched.text(text) }
            ws.onBinary { _, _ in watched.binary() }
            ws.onClose.whenComplete { _ in watched.close() }
        }.get()
        // The upgrade handler may run just after the connection is reported made.
        let deadline = Date().addingTimeInterval(5)
        while socket.withLockedValue({ $0 }) == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return (watched, try #require(socket.withLockedValue { $0 }))
    }

    /// Runs `body` with one camera recording a looped clip, live video available.
    static func withRecordingCamera(_ name: String, _ body: @escaping (Application, UUID) async throws -> Void) async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: false)
        let folder = try RepositoryPaths.temporaryFolder(name)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let recording = try await RecordingAPITests.recordLooping(clip, camera: camera, into: folder, app: app)
            try await whileRunning([recording]) { try await body(app, camera) }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aSignedOutViewerAndARevokedShareStopReceivingVideo() async throws {
        try await Self.withRecordingCamera("live-access") { app, camera in
            let admin = try await app.signIn(as: .administrator)
            let viewer = try await app.signIn(as: .administrator)
            _ = try await PlatformPartners(database: app.db).add("seoul-112", by: "test")
            let port = try await app.startOnFreePort()

            // A signed-in viewer, then signed out elsewhere (the same session).
            let (seen, socket) = try await Self.open("ws://127.0.0.1:\(port)/api/cameras/\(camera)/live",
                                                     headers: ["Cookie": "cw_session=\(viewer.cookie)"])
            try await RecordingAPITests.eventually { seen.binaryMessages >= 2 }
            let loggedOut = try await app.testing().sendRequest(.POST, "/api/logout", headers: viewer.headers)
            #expect(loggedOut.status == .noContent, "\(loggedOut.status) \(loggedOut.body.string)")
            try await RecordingAPITests.eventually(timeout: .seconds(10)) { seen.closed }
            #expect(seen.texts.contains { $0.contains("session has ended") }, "\(seen.texts)")
            _ = try? await socket.close()

            // A partner's share, revoked while the partner watches.
            let opened = try await app.testing().sendRequest(.POST, "/api/incidents", headers: admin.headers, body: .text(
                "{\"kind\": \"crime\", \"title\": \"112 절도\", \"occurredAt\": \"\(ISO8601DateFormatter().string(from: Date()))\", \"cameraIds\": [\"\(camera)\"]}"))
            let incident = try IncidentShareAPITests.decode(IncidentAPITests.Detail.self, opened).incident
            let made = try await app.testing().sendRequest(.POST, "/api/incidents/\(incident.id)/share", headers: admin.headers,
                                                           body: .text("{\"partner\": \"seoul-112\"}"))
            let share = try IncidentShareAPITests.decode(IncidentShareAPITests.Shared.self, made)
            let (partner, partnerSocket) = try await Self.open("ws://127.0.0.1:\(port)/api/shared/\(share.token)/live/\(camera)")
            try await RecordingAPITests.eventually { partner.binaryMessages >= 2 }
            #expect(!partner.closed, "the share is good: the video runs")
            let revoked = try await app.testing().sendRequest(.DELETE, "/api/incidents/\(incident.id)/shares/\(share.shareId)",
                                                              headers: admin.headers)
            #expect(revoked.status == .ok)
            try await RecordingAPITests.eventually(timeout: .seconds(10)) { partner.closed }
            #expect(partner.texts.contains { $0.contains("revoked") }, "\(partner.texts)")
            _ = try? await partnerSocket.close()
            try await RecordingAPITests.eventually(timeout: .seconds(10)) {
                try await AuditLog(database: app.db).list(.init(action: "video.live.end")).count == 2
            }
            await app.server.shutdown()
        }
    }

    /// A viewer whose camera leaves their groups stops receiving its video at once (it went
    /// on for 25 s and more before, until a cached scope ran out).
    @Test(.timeLimit(.minutes(2)))
    func liveVideoEndsWithinTwoSecondsOfTheCameraLeavingTheViewersGroups() async throws {
        try await Self.withRecordingCamera("live-regroup") { app, camera in
            let admin = try await app.signIn(as: .administrator)
            let group = try await AccessChangeSocketTests.group("school gate", [camera], app: app, admin: admin)
            let viewer = try await app.signIn(as: .operator, groups: [group])
            let port = try await app.startOnFreePort()
            let (seen, socket) = try await Self.open("ws://127.0.0.1:\(port)/api/cameras/\(camera)/live",
                                                     headers: ["Cookie": "cw_session=\(viewer.cookie)"])
            try await RecordingAPITests.eventually { seen.binaryMessages >= 2 }
            let id = try await AccessChangeSocketTests.userID(viewer, app: app, admin: admin)
            let removed = Date()
            let changed = try await app.testing().sendRequest(.PUT, "/api/users/\(id)/groups", headers: admin.headers, body: .text("{\"groupIds\": []}"))
            #expect(changed.status == .ok)
            try await RecordingAPITests.eventually(timeout: .seconds(10)) { seen.closed }
            let took = Date().timeIntervalSince(removed)
            #expect(took < 2, "the video went on \(took) s after the camera left the viewer's groups")
            #expect(seen.texts.contains { $0.contains("no longer in your camera groups") }, "\(seen.texts)")
            _ = try? await socket.close()
            await app.server.shutdown()
        }
    }

    /// The alarm feed a console keeps open ends when its session does.
    @Test(.timeLimit(.minutes(1)))
    func theAlarmFeedEndsWithTheSession() async throws {
        try await withCityWatch(.sqlite) { app in
            let viewer = try await app.signIn(as: .operator)
            let port = try await app.startOnFreePort()
            let (feed, socket) = try await Self.open("ws://127.0.0.1:\(port)/api/alarms/live", headers: ["Cookie": "cw_session=\(viewer.cookie)"])
            _ = try await IncidentService(database: app.db, center: app.cityWatch.alarms)
                .raise(Alarm(source: .operator, priority: .high, title: "배회", raisedAt: Date()))
            try await RecordingAPITests.eventually(timeout: .seconds(10)) { feed.texts.contains { $0.contains("배회") } }
            #expect(!feed.closed)
            #expect(try await app.testing().sendRequest(.POST, "/api/logout", headers: viewer.headers).status == .noContent)
            try await RecordingAPITests.eventually(timeout: .seconds(10)) { feed.closed }
            #expect(feed.texts.contains { $0.contains("session has ended") }, "\(feed.texts)")
            _ = try? await socket.close()
            await app.server.shutdown()
        }
    }
}
