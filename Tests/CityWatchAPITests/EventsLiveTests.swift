import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import Vapor
import VaporTesting
import WebSocketKit

/// `GET /api/events/live` over a real socket: what the hub publishes reaches a console, only
/// for the cameras its user may see.
@Suite("Events live socket")
struct EventsLiveTests {
    @Test func eventsAndTamperReachTheConsoleOnlyForVisibleCameras() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let admin = try await app.signIn(as: .administrator)
            // A group holding only the first camera, granted to an operator.
            let created = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                              body: .text("{\"name\": \"gate\", \"rule\": {\"cameraIds\": [\"\(cameras[0])\"]}}"))
            #expect(created.status == .ok || created.status == .created, "\(created.body.string)")
            let groupID = try #require(created.body.string.split(separator: "\"").firstIndex(of: "id").map { index in
                UUID(uuidString: String(created.body.string.split(separator: "\"")[index + 2]))
            } ?? nil)
            let officer = try await app.signIn(as: .operator, groups: [groupID])

            let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
            let recording = RecordingService(database: { app.db }, configuration: app.cityWatch.configuration, sealer: sealer)
            let analytics = AnalyticsService(database: { app.db }, recording: recording, dataDirectory: FileManager.default.temporaryDirectory.path)
            app.analytics = analytics
            let port = try await app.startOnFreePort()
            let socket = try await LiveTextSocket.open(port: port, path: "/api/events/live", cookie: officer.cookie)
            // The socket is subscribed once the upgrade is through; publish until the first arrives.
            let hidden = AnalyticsEvent(cameraID: cameras[1], ruleID: nil, ruleName: "other", kind: "intrusion", at: Date(), trackIDs: [1], boxes: [], classes: [])
            let seen = AnalyticsEvent(cameraID: cameras[0], ruleID: UUID(), ruleName: "gate", kind: "loitering", at: Date(), trackIDs: [4],
                                      boxes: [ImageBox(x: 0.1, y: 0.2, width: 0.1, height: 0.3)], classes: [.person])
            let publisher = Task {
                while !Task.isCancelled {
                    analytics.hub.publish(.raised(hidden))
                    analytics.hub.publish(.raised(seen))
                    analytics.hub.publish(.tamper(cameraID: cameras[0], state: "covered", at: Date(), detail: "luma contrast 1.0"))
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            let texts = await socket.next(4)
            publisher.cancel()
            try await socket.close()
            await app.server.shutdown()

            #expect(texts.contains { $0.contains("\"type\":\"event\"") && $0.contains(seen.id.uuidString) && $0.contains("\"kind\":\"loitering\"") })
            #expect(texts.contains { $0.contains("\"type\":\"tamper\"") && $0.contains("\"state\":\"covered\"") })
            #expect(!texts.contains { $0.contains(hidden.id.uuidString) }, "an event of a camera outside the operator's groups leaked")
        }
    }
}
