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

/// Sharing an incident's cameras with a partner: a token made by an operator opens the
/// camera list, live video and playback of the incident's window without a session, until it
/// expires or is revoked; other cameras and times are refused; every use is audit-logged.
@Suite("Incident share API")
struct IncidentShareAPITests {
    struct Shared: Decodable {
        struct Camera: Decodable {
            var cameraId: UUID
            var label: String
            var live: String
            var playback: String
        }

        var shareId: UUID
        var token: String
        var url: String
        var partner: String
        var expiresAt: Date
        var cameras: [Camera]
    }

    struct Playback: Decodable {
        struct Segment: Decodable {
            var id: UUID
            var url: String
        }

        var segments: [Segment]
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: TestingHTTPResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(response.body.readableBytesView))
    }

    /// A recorded segment of `camera` from `start` for a minute, with `bytes` in its file.
    static func segment(_ app: Application, camera: UUID, start: Date, bytes: [UInt8]) async throws -> UUID {
        let file = try RepositoryPaths.temporaryFolder("segment").appendingPathComponent("segment.mp4")
        try Data(bytes).write(to: file)
        let model = SegmentModel()
        model.cameraID = camera
        model.start = start
        model.end = start.addingTimeInterval(60)
        model.bytes = Int64(bytes.count)
        model.path = file.path
        model.status = "ok"
        model.createdAt = start
        try await model.create(on: app.db)
        return try model.requireID()
    }

    @Test(arguments: DatabaseKind.allCases)
    func aShareOpensOnlyTheIncidentsCamerasAndWindowUntilItExpiresOrIsRevoked(_ kind: DatabaseKind) async throws {
        let clock = TestClock(start: Date())
        try await withCityWatch(kind, clock: clock.closure) { app in
            let cameras = try await app.makeCameras(4)
            let operatorSession = try await app.signIn(as: .operator, groups: [])
            let admin = try await app.signIn(as: .administrator)
            _ = try await PlatformPartners(database: app.db).add("seoul-112", by: "test")
            let client = try app.testing()
            let occurred = clock.now.addingTimeInterval(-600)
            let opened = try await client.sendRequest(.POST, "/api/incidents", headers: admin.headers, body: .text(
                "{\"kind\": \"crime\", \"title\": \"112 강도\", \"latitude\": 37.4985, \"longitude\": 127.031, \"occurredAt\": \"\(ISO8601DateFormatter().string(from: occurred))\", \"cameraIds\": [\"\(cameras[0])\", \"\(cameras[1])\"]}"))
            let incident = try Self.decode(IncidentAPITests.Detail.self, opened).incident
            #expect(try await client.sendRequest(.POST, "/api/incidents/\(incident.id)/share", headers: operatorSession.headers,
                                                 body: .text("{\"partner\": \"seoul-112\"}")).status == .notFound,
                    "an operator without the incident's cameras does not see it")

            // Bad requests name the field.
            for (body, field) in [("{\"partner\": \"nobody\"}", "partner"), ("{\"partner\": \"seoul-112\", \"minutes\": 2000}", "minutes"),
                                  ("{\"partner\": \"seoul-112\", \"cameraIds\": [\"\(cameras[3])\"]}", "cameraIds")] {
                let refused = try await client.sendRequest(.POST, "/api/incidents/\(incident.id)/share", headers: admin.headers, body: .text(body))
                #expect(refused.status == .badRequest && refused.body.string.contains(field), "\(refused.body.string)")
            }

            let made = try await client.sendRequest(.POST, "/api/incidents/\(incident.id)/share", headers: admin.headers,
                                                    body: .text("{\"partner\": \"seoul-112\"}"))
            #expect(made.status == .created, "\(made.body.string)")
            let share = try Self.decode(Shared.self, made)
            #expect(share.cameras.map(\.cameraId) == [cameras[0], cameras[1]] && share.partner == "seoul-112")
            #expect(abs(share.expiresAt.timeIntervalSince(clock.now) - 1_800) < 2, "30 minutes by default")
            let timeline = try await IncidentRepository(database: app.db).timeline(of: incident.id)
            #expect(timeline.contains { $0.kind == .shared && $0.text.contains("seoul-112") })

            // Without a session: the list, and playback of a recording in the window.
            let listed = try await client.sendRequest(.GET, share.url)
            #expect(listed.status == .ok)
            #expect(try Self.decode(Shared.self, listed).cameras.count == 2)
            let bytes: [UInt8] = Array("not really an mp4 but bytes all the same".utf8)
            let inside = try await Self.segment(app, camera: cameras[0], start: occurred.addingTimeInterval(-30), bytes: bytes)
            _ = try await Self.segment(app, camera: cameras[0], start: occurred.addingTimeInterval(-7_200), bytes: bytes)
            let playback = try await client.sendRequest(.GET, share.cameras[0].playback)
            #expect(playback.status == .ok, "\(playback.body.string)")
            let segments = try Self.decode(Playback.self, playback).segments
            #expect(segments.map(\.id) == [inside], "only the recordings in the incident's window")
            let video = try await client.sendRequest(.GET, segments[0].url)
            #expect(video.status == .ok && Array(video.body.readableBytesView) == bytes)

            // Another camera, another time, another recording, a forged token.
            #expect(try await client.sendRequest(.GET, "/api/shared/\(share.token)/playback/\(cameras[3])").status == .forbidden)
            #expect(try await client.sendRequest(.GET, "/api/shared/\(share.token)/live/\(cameras[3])").status == .forbidden)
            let early = ISO8601DateFormatter().string(from: occurred.addingTimeInterval(-7_200))
            #expect(try await client.sendRequest(.GET, "\(share.cameras[0].playback)?from=\(early)").status == .forbidden)
            #expect(try await client.sendRequest(.GET, "/api/shared/\(share.token)/segments/\(UUID())").status == .notFound)
            #expect(try await client.sendRequest(.GET, "/api/shared/forged\(share.token.dropFirst(6))").status == .unauthorized)

            // Every use logged with the partner and the camera.
            let uses = try await AuditLog(database: app.db).list(.init()).filter { $0.action == "share.use" }
            #expect(uses.count == 3 && uses.allSatisfy { $0.actor == "share:seoul-112" && $0.target == incident.id.uuidString })
            #expect(uses.filter { $0.details.contains(cameras[0].uuidString) }.count == 2)
            #expect(try await AuditLog(database: app.db).list(.init()).contains { $0.action == "video.playback" && $0.actor == "share:seoul-112" })

            // Revoked: 401; another share expires after its minutes: 401.
            let revoked = try await client.sendRequest(.DELETE, "/api/incidents/\(incident.id)/shares/\(share.shareId)", headers: admin.headers)
            #expect(revoked.status == .ok, "\(revoked.body.string)")
            let afterRevoke = try await client.sendRequest(.GET, share.url)
            #expect(afterRevoke.status == .unauthorized && afterRevoke.body.string.contains("revoked"))
            let short = try Self.decode(Shared.self, try await client.sendRequest(.POST, "/api/incidents/\(incident.id)/share", headers: admin.headers,
                                                                               body: .text("{\"partner\": \"seoul-112\", \"minutes\": 5, \"cameraIds\": [\"\(cameras[1])\"]}")))
            #expect(try await client.sendRequest(.GET, short.url).status == .ok)
            clock.advance(301)
            let expired = try await client.sendRequest(.GET, short.url)
            #expect(expired.status == .unauthorized && expired.body.string.contains("expired"))
            let listedShares = try await client.sendRequest(.GET, "/api/incidents/\(incident.id)/shares", headers: admin.headers)
            #expect(listedShares.status == .ok && !listedShares.body.string.contains(short.token), "tokens are never listed")
            // Three refusals of three kinds (forged, revoked, expired): each audited in full.
            #expect(try await AuditLog(database: app.db).list(.init()).filter { $0.action == "share.refused" }.count == 3)
        }
    }

    @Test func aSharedLiveLinkReachesTheCamerasLiveVideoAndIsLogged() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(1)
            let admin = try await app.signIn(as: .administrator)
            _ = try await PlatformPartners(database: app.db).add("seoul-112", by: "test")
            let client = try app.testing()
            let incident = try Self.decode(IncidentAPITests.Detail.self, try await client.sendRequest(.POST, "/api/incidents", headers: admin.headers,
                body: .text("{\"kind\": \"crime\", \"title\": \"112 폭행\", \"cameraIds\": [\"\(cameras[0])\"]}"))).incident
            let share = try Self.decode(Shared.self, try await client.sendRequest(.POST, "/api/incidents/\(incident.id)/share", headers: admin.headers,
                                                                               body: .text("{\"partner\": \"seoul-112\"}")))
            let port = try await app.startOnFreePort()
            let socket = try await LiveTextSocket.open(port: port, path: share.cameras[0].live)
            let first = await socket.next(1).first
            try await socket.close()
            await app.server.shutdown()
            // Not recorded in this test process: the live handler itself answers, as for a console.
            #expect(first?.contains("\"status\":409") == true, "\(first ?? "nothing")")
            let uses = try await AuditLog(database: app.db).list(.init()).filter { $0.action == "share.use" }
            #expect(uses.count == 1 && uses[0].details.contains("live") && uses[0].details.contains(cameras[0].uuidString))
        }
    }
}
