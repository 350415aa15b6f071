import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite("Analytics API")
struct AnalyticsAPITests {
    static let zone = "{\"points\": [{\"x\": 0.1, \"y\": 0.5}, {\"x\": 0.6, \"y\": 0.5}, {\"x\": 0.6, \"y\": 0.95}, {\"x\": 0.1, \"y\": 0.95}]}"

    static func rule(id: UUID = UUID(), zone: String = zone) -> String {
        """
        {"id": "\(id)", "name": "school yard after hours", "enabled": true, "classes": ["person"], "minimumHeight": 0.05,
         "coolDownSeconds": 30, "kind": {"intrusion": {"zone": \(zone)}},
         "schedule": {"windows": [{"days": [1, 2, 3, 4, 5], "startMinute": 1080, "endMinute": 420}]}}
        """
    }

    struct Settings: Decodable {
        var enabled: Bool
        var rules: [AnalyticsRule]
        var running: Bool
    }

    @Test(arguments: DatabaseKind.allCases)
    func rulesAreSavedWholeAndABadZoneIsRefusedNamingTheRuleAndPoint(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let operatorUser = try await app.signIn(as: .administrator)
            let outside = "{\"points\": [{\"x\": 0.1, \"y\": 0.5}, {\"x\": 1.4, \"y\": 0.5}, {\"x\": 0.6, \"y\": 0.95}]}"
            let bad = try await app.testing().sendRequest(.PUT, "/api/cameras/\(camera)/analytics", headers: operatorUser.headers,
                                                          body: .text("{\"rules\": [\(Self.rule()), \(Self.rule(zone: outside))]}"))
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("rules[1]") && bad.body.string.contains("point 2"), "\(bad.body.string)")
            #expect(try await AnalyticsRepository(database: app.db).settings(for: camera).rules.isEmpty, "nothing of a refused document is kept")

            let id = UUID()
            let good = try await app.testing().sendRequest(.PUT, "/api/cameras/\(camera)/analytics", headers: operatorUser.headers,
                                                           body: .text("{\"rules\": [\(Self.rule(id: id))]}"))
            #expect(good.status == .ok, "\(good.body.string)")
            let read = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/analytics", headers: operatorUser.headers)
                .content.decode(Settings.self)
            #expect(read.rules.map(\.id) == [id] && read.rules.first?.classes == [.person] && read.enabled && !read.running)
            #expect(read.rules.first?.schedule?.isArmed(weekday: 2, minute: 1) == true, "the overnight window runs past midnight")
            let audit = try await AuditLog(database: app.db).list(.init(action: "analytics.settings"))
            #expect(audit.count == 1 && audit.first?.target == camera.uuidString)

            let police = try await app.signIn(as: .police)
            #expect(try await app.testing().sendRequest(.PUT, "/api/cameras/\(camera)/analytics", headers: police.headers,
                                                        body: .text("{\"rules\": []}")).status == .forbidden)
        }
    }

    struct Event: Decodable {
        var id: UUID
        var kind: String
        var snapshotURL: String?
        var playbackURL: String
        var acknowledgedBy: String?
        var note: String?
    }

    @Test(arguments: DatabaseKind.allCases)
    func eventsAreListedShownAndAcknowledgedWithEveryViewAudited(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let cameras = try await app.makeCameras(2)
            let folder = try RepositoryPaths.temporaryFolder("events")
            defer { try? FileManager.default.removeItem(at: folder) }
            let snapshot = folder.appendingPathComponent("e.jpg")
            try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9]).write(to: snapshot)
            let repository = AnalyticsRepository(database: app.db)
            let event = AnalyticsEvent(cameraID: cameras[0], ruleID: UUID(), ruleName: "gate", kind: "loitering", at: Date(timeIntervalSince1970: 1_790_000_000),
                                       trackIDs: [7], boxes: [ImageBox(x: 0.2, y: 0.3, width: 0.1, height: 0.3)], classes: [.person], hasSnapshot: true)
            try await repository.insert(event, snapshotPath: snapshot.path)
            try await repository.insert(AnalyticsEvent(cameraID: cameras[1], ruleID: nil, ruleName: "line", kind: "lineCrossing", at: Date(),
                                                       trackIDs: [1], boxes: [], classes: [.car]), snapshotPath: nil)

            // An operator sees only the cameras of the groups granted to them: none here.
            let stranger = try await app.signIn(as: .operator)
            let strangerList = try await app.testing().sendRequest(.GET, "/api/events", headers: stranger.headers).content.decode([Event].self)
            #expect(strangerList.isEmpty)
            #expect(try await app.testing().sendRequest(.GET, "/api/events/\(event.id)", headers: stranger.headers).status == .notFound)

            let operatorUser = try await app.signIn(as: .administrator)
            let listed = try await app.testing().sendRequest(.GET, "/api/events?camera=\(cameras[0])", headers: operatorUser.headers)
                .content.decode([Event].self)
            #expect(listed.map(\.id) == [event.id])
            #expect(listed.first?.playbackURL.contains("camera=\(cameras[0])") == true)
            let url = try #require(listed.first?.snapshotURL)
            let image = try await app.testing().sendRequest(.GET, url, headers: operatorUser.headers)
            #expect(image.status == .ok && image.headers.contentType == .jpeg && image.body.readableBytes == 9)
            #expect(try await AuditLog(database: app.db).list(.init(action: "event.snapshot")).count == 1)

            let ack = try await app.testing().sendRequest(.POST, "/api/events/\(event.id)/acknowledge", headers: operatorUser.headers,
                                                          body: .text("{\"note\": \"a parent waiting; no action\"}")).content.decode(Event.self)
            #expect(ack.acknowledgedBy == operatorUser.username && ack.note == "a parent waiting; no action")
            let open = try await app.testing().sendRequest(.GET, "/api/events?unacknowledged=true", headers: operatorUser.headers)
                .content.decode([Event].self)
            #expect(open.map(\.kind) == ["lineCrossing"])
            #expect(try await AuditLog(database: app.db).list(.init(action: "event.acknowledge")).count == 1)

            let maintenance = try await app.signIn(as: .maintenance)
            #expect(try await app.testing().sendRequest(.GET, "/api/events", headers: maintenance.headers).status == .forbidden)
            #expect(try await app.testing().sendRequest(.GET, "/api/events/\(UUID())", headers: operatorUser.headers).status == .notFound)
        }
    }
}
