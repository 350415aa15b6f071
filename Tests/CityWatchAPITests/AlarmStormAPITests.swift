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

/// Alarms operators can work with: a storm of one camera and rule becomes one alarm whose count
/// and span keep updating (one audit line, not one per alarm); the events and alarms lists
/// filter by kind, camera, severity and state; a snapshot is audited once per viewing session.
@Suite("Alarm storms and filters")
struct AlarmStormAPITests {
    struct AlarmRow: Decodable {
        struct Storm: Decodable {
            var count: Int
            var firstAt: Date
            var lastAt: Date
        }

        var id: UUID
        var source: String
        var priority: String
        var status: String
        var title: String
        var cameraIds: [UUID]
        var storm: Storm?
    }

    struct EventRow: Decodable {
        var id: UUID
        var kind: String
        var snapshotURL: String?
    }

    static func alarms(_ app: Application, _ session: TestSession, _ query: String = "") async throws -> [AlarmRow] {
        let response = try await app.testing().sendRequest(.GET, "/api/alarms" + query, headers: session.headers)
        try #require(response.status == .ok, "\(query): \(response.body.string)")
        return try IncidentAPITests.decode([AlarmRow].self, response)
    }

    @Test(arguments: DatabaseKind.allCases)
    func aStormOfOneCameraAndRuleBecomesOneAlarmThatKeepsCounting(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let cameras = try await app.makeCameras(2)
            let admin = try await app.signIn(as: .administrator)
            let bridge = AnalyticsAlarmBridge(hub: AnalyticsEventHub(), center: app.cityWatch.alarms, directory: app.cityWatch.directory,
                                              database: { app.db }, storms: AlarmStormPolicy(threshold: 3, window: 600))
            let tripwire = UUID(), gate = UUID()
            let t0 = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded(.down))
            func event(_ rule: UUID, _ camera: UUID, _ kind: String, at seconds: Double) -> AnalyticsEvent {
                AnalyticsEvent(cameraID: camera, ruleID: rule, ruleName: kind == "intrusion" ? "정문 침입" : "통행선", kind: kind,
                               at: t0.addingTimeInterval(seconds), trackIDs: [1], boxes: [], classes: [.person])
            }
            // A busy tripwire: ten crossings in a minute and a half; meanwhile two intrusions elsewhere.
            for index in 0..<10 { try await bridge.handle(.raised(event(tripwire, cameras[0], "lineCrossing", at: Double(index) * 10))) }
            for index in 0..<2 { try await bridge.handle(.raised(event(gate, cameras[1], "intrusion", at: 30 + Double(index)))) }

            let queue = try await Self.alarms(app, admin)
            let tripwireAlarms = queue.filter { $0.cameraIds == [cameras[0]] }
            #expect(tripwireAlarms.count == 4, "three raised one by one, then one storm: \(tripwireAlarms.map(\.title))")
            let storm = try #require(tripwireAlarms.first { $0.storm != nil })
            #expect(storm.storm?.count == 7)
            #expect(abs((storm.storm?.firstAt.timeIntervalSince(t0) ?? 0) - 30) < 0.01 && abs((storm.storm?.lastAt.timeIntervalSince(t0) ?? 0) - 90) < 0.01)
            #expect(storm.title.contains("Storm"))
            #expect(queue.filter { $0.cameraIds == [cameras[1]] }.count == 2, "another camera's alarms are their own")
            #expect(try await AuditLog(database: app.db).list(.init(action: "alarm.raise")).count == 3 + 1 + 2, "a storm is one audit line")

            // Acknowledged, it keeps counting; dismissed, the storm's next alarm opens a new one.
            _ = try await app.testing().sendRequest(.POST, "/api/alarms/\(storm.id)/acknowledge", headers: admin.headers)
            try await bridge.handle(.raised(event(tripwire, cameras[0], "lineCrossing", at: 100)))
            #expect(try await Self.alarms(app, admin).first { $0.id == storm.id }?.storm?.count == 8)
            let dismissed = try await app.testing().sendRequest(.POST, "/api/alarms/\(storm.id)/dismiss", headers: admin.headers,
                                                                body: .text("{\"note\": \"행인 통행 passers-by\"}"))
            #expect(dismissed.status == .ok)
            try await bridge.handle(.raised(event(tripwire, cameras[0], "lineCrossing", at: 110)))
            let next = try await Self.alarms(app, admin).filter { $0.storm != nil && $0.status == "open" }
            #expect(next.count == 1 && next.first?.id != storm.id && next.first?.storm?.count == 1)

            // Filters: kind (source), camera, severity (priority), state (status).
            #expect(try await Self.alarms(app, admin, "?severity=high").allSatisfy { $0.cameraIds == [cameras[1]] })
            #expect(try await Self.alarms(app, admin, "?severity=high").count == 2)
            #expect(try await Self.alarms(app, admin, "?camera=\(cameras[1])").count == 2)
            #expect(try await Self.alarms(app, admin, "?state=dismissed").map(\.id) == [storm.id])
            #expect(try await Self.alarms(app, admin, "?kind=bell").isEmpty)
            #expect(try await Self.alarms(app, admin, "?kind=analytics&state=open,acknowledged").count == 3 + 1 + 2)
            let bad = try await app.testing().sendRequest(.GET, "/api/alarms?severity=urgent", headers: admin.headers)
            #expect(bad.status == .badRequest && bad.body.string.contains("severity 'urgent'"))
        }
    }

    @Test func eventsFilterByKindSeverityStateAndCameraAndASnapshotIsAuditedOncePerViewingSession() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let folder = try RepositoryPaths.temporaryFolder("event-filters")
            defer { try? FileManager.default.removeItem(at: folder) }
            let snapshot = folder.appendingPathComponent("e.jpg")
            try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9]).write(to: snapshot)
            let repository = AnalyticsRepository(database: app.db)
            let intrusion = AnalyticsEvent(cameraID: cameras[0], ruleID: UUID(), ruleName: "gate", kind: "intrusion", at: Date().addingTimeInterval(-30),
                                           trackIDs: [1], boxes: [], classes: [.person], hasSnapshot: true)
            try await repository.insert(intrusion, snapshotPath: snapshot.path)
            try await repository.insert(AnalyticsEvent(cameraID: cameras[1], ruleID: UUID(), ruleName: "line", kind: "lineCrossing", at: Date().addingTimeInterval(-20),
                                                       trackIDs: [2], boxes: [], classes: [.car]), snapshotPath: nil)
            let crowd = AnalyticsEvent(cameraID: cameras[1], ruleID: UUID(), ruleName: "square", kind: "crowding", at: Date().addingTimeInterval(-10),
                                       trackIDs: [3, 4], boxes: [], classes: [.person, .person])
            try await repository.insert(crowd, snapshotPath: nil)
            _ = try await repository.acknowledge(crowd.id, by: "kim", note: nil, at: Date())
            try await repository.insert(AnalyticsEvent(cameraID: cameras[0], ruleID: UUID(), ruleName: "bay", kind: "objectLeft", at: Date().addingTimeInterval(-40),
                                                       trackIDs: [5], boxes: [], classes: [.unknown]), snapshotPath: nil)
            let admin = try await app.signIn(as: .administrator)
            func kinds(_ query: String) async throws -> [String] {
                let response = try await app.testing().sendRequest(.GET, "/api/events" + query, headers: admin.headers)
                try #require(response.status == .ok, "\(query): \(response.body.string)")
                return try response.content.decode([EventRow].self).map(\.kind)
            }
            #expect(try await kinds("?kind=intrusion,crowding") == ["crowding", "intrusion"])
            #expect(try await kinds("?severity=high") == ["intrusion"])
            #expect(try await kinds("?severity=normal&state=unacknowledged") == ["lineCrossing"])
            #expect(try await kinds("?state=acknowledged") == ["crowding"])
            #expect(try await kinds("?camera=\(cameras[1])&kind=lineCrossing") == ["lineCrossing"])
            // An object left (attended or not) is the least urgent of them.
            #expect(try await kinds("?kind=objectLeft,abandonedObject") == ["objectLeft"])
            #expect(try await kinds("?severity=low") == ["objectLeft"])
            let bad = try await app.testing().sendRequest(.GET, "/api/events?kind=explosion", headers: admin.headers)
            #expect(bad.status == .badRequest && bad.body.string.contains("kind 'explosion'"))

            // A console redrawing the snapshot: one audit line per viewing session.
            for _ in 0..<5 {
                #expect(try await app.testing().sendRequest(.GET, "/api/events/\(intrusion.id)/snapshot", headers: admin.headers).status == .ok)
            }
            #expect(try await AuditLog(database: app.db).list(.init(action: "event.snapshot")).count == 1)
            let again = try await app.login(username: admin.username, password: admin.password)
            _ = try await app.testing().sendRequest(.GET, "/api/events/\(intrusion.id)/snapshot", headers: again.headers)
            _ = try await app.testing().sendRequest(.GET, "/api/events/\(intrusion.id)/snapshot", headers: again.headers)
            #expect(try await AuditLog(database: app.db).list(.init(action: "event.snapshot")).count == 2, "a new session audits again")
        }
    }
}
