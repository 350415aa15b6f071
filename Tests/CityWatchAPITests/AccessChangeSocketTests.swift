import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Crypto
import Fluent
import FluentKit
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting
import WebSocketKit

/// Open sockets follow their user's rights: a role or group change, made through the API or
/// by another process on the same store, ends or narrows every live, event and alarm socket
/// within two seconds (issue 13, #7).
@Suite("Sockets follow changed rights")
struct AccessChangeSocketTests {
    /// Makes a camera group holding `cameras`; its id.
    static func group(_ name: String, _ cameras: [UUID], app: Application, admin: TestSession) async throws -> UUID {
        let created = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                          body: .text("{\"name\": \"\(name)\", \"rule\": {\"cameraIds\": [\"\(cameras.map(\.uuidString).joined(separator: "\", \""))\"]}}"))
        return try created.content.decode(IDOnly.self).id
    }

    struct IDOnly: Decodable { var id: UUID }
    struct UserRow: Decodable { var id: UUID; var username: String }

    static func userID(_ session: TestSession, app: Application, admin: TestSession) async throws -> UUID {
        let users = try await app.testing().sendRequest(.GET, "/api/users", headers: admin.headers).content.decode([UserRow].self)
        return try #require(users.first { $0.username == session.username }?.id)
    }

    @Test func theEventFeedNarrowsWhenAGroupIsTakenAway() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let admin = try await app.signIn(as: .administrator)
            let (gate, yard) = (try await Self.group("gate", [cameras[0]], app: app, admin: admin), try await Self.group("yard", [cameras[1]], app: app, admin: admin))
            let officer = try await app.signIn(as: .operator, groups: [gate, yard])
            let recording = RecordingService(database: { app.db }, configuration: app.cityWatch.configuration, sealer: CredentialSealer(key: SymmetricKey(size: .bits256)))
            let analytics = AnalyticsService(database: { app.db }, recording: recording, dataDirectory: FileManager.default.temporaryDirectory.path)
            app.analytics = analytics
            let port = try await app.startOnFreePort()
            let socket = try await LiveTextSocket.open(port: port, path: "/api/events/live", cookie: officer.cookie)
            func event(_ camera: UUID) -> AnalyticsEvent {
                AnalyticsEvent(cameraID: camera, ruleID: nil, ruleName: "r", kind: "intrusion", at: Date(), trackIDs: [1], boxes: [], classes: [])
            }
            // Subscribed once the upgrade is through: publish until the first arrives.
            let first = event(cameras[0])
            let publisher = Task {
                while !Task.isCancelled {
                    analytics.hub.publish(.raised(first))
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(await socket.next(1).first?.contains(first.id.uuidString) == true)
            publisher.cancel()

            let id = try await Self.userID(officer, app: app, admin: admin)
            let changed = try await app.testing().sendRequest(.PUT, "/api/users/\(id)/groups", headers: admin.headers, body: .text("{\"groupIds\": [\"\(yard)\"]}"))
            #expect(changed.status == .ok)
            try await Task.sleep(for: .seconds(2))
            let (hidden, shown) = (event(cameras[0]), event(cameras[1]))
            analytics.hub.publish(.raised(hidden))
            analytics.hub.publish(.raised(shown))
            let texts = await socket.next(1)
            #expect(texts.first?.contains(shown.id.uuidString) == true, "\(texts)")
            try await socket.close()
            await app.server.shutdown()
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func theAlarmFeedEndsWhenAnotherProcessDemotesItsUser(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let viewer = try await app.signIn(as: .operator)
            let port = try await app.startOnFreePort()
            let (feed, socket) = try await LiveAccessTests.open("ws://127.0.0.1:\(port)/api/alarms/live", headers: ["Cookie": "cw_session=\(viewer.cookie)"])
            _ = try await IncidentService(database: app.db, center: app.cityWatch.alarms)
                .raise(Alarm(source: .operator, priority: .high, title: "배회", raisedAt: Date()))
            try await RecordingAPITests.eventually(timeout: .seconds(10)) { feed.texts.contains { $0.contains("배회") } }
            // The command line (another process on the same store): nothing in this server is told.
            let accounts = Accounts(database: app.db, hasher: BcryptPasswordHasher(cost: 4, pool: app.threadPool))
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$username == viewer.username).first())
            let demoted = Date()
            _ = try await accounts.update(userID: try user.requireID(), role: .maintenance, disabled: nil, actor: "cli")
            try await RecordingAPITests.eventually(timeout: .seconds(10)) { feed.closed }
            let took = Date().timeIntervalSince(demoted)
            #expect(took < 2, "the feed ended \(took) s after the demotion")
            #expect(feed.texts.contains { $0.contains("role is now maintenance") }, "\(feed.texts)")
            _ = try? await socket.close()
            await app.server.shutdown()
        }
    }
}
