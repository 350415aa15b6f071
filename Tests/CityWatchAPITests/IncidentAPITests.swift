import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import Vapor
import VaporTesting
import WebSocketKit

/// The alarm queue and incidents through the API: raised, ordered, acknowledged, dismissed,
/// escalated into an incident that holds its footage, annotated, closed; counted without drills;
/// pushed live to consoles with their wall requests.
@Suite("Alarms and incidents API")
struct IncidentAPITests {
    struct AlarmAnswer: Decodable {
        var id: UUID
        var status: String
        var priority: String
        var title: String
        var cameraIds: [UUID]
        var cameraLabels: [String]
        var incidentId: UUID?
        var drill: Bool
    }

    struct IncidentAnswer: Decodable {
        var id: UUID
        var number: String
        var status: String
        var grade: Int
        var cameraIds: [UUID]
        var clips: [AnyDecodable]
    }

    struct Entry: Decodable {
        var kind: String
        var by: String
        var text: String
    }

    struct Detail: Decodable {
        var incident: IncidentAnswer
        var timeline: [Entry]
        var alarms: [AlarmAnswer]
    }

    struct Stats: Decodable {
        var total: Int
        var bySource: [String: Int]
        var drills: Int
        var escalated: Int
        var dismissed: Int
    }

    struct AnyDecodable: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: TestingHTTPResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(response.body.readableBytesView))
    }

    @Test(arguments: DatabaseKind.allCases)
    func anAlarmGoesThroughTheQueueIntoAnIncidentThatHoldsItsFootage(_ kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let cameras = try await app.makeCameras(3)
            let officer = try await app.signIn(as: .administrator)
            let client = try app.testing()
            func post(_ path: String, _ body: String?) async throws -> TestingHTTPResponse {
                try await client.sendRequest(.POST, path, headers: officer.headers, body: body.map { .text($0) })
            }
            // Two alarms: a normal one first, then a critical one that goes ahead of it; a drill.
            let normal = try Self.decode(AlarmAnswer.self, try await post("/api/alarms",
                "{\"title\": \"수상한 차량\", \"cameraIds\": [\"\(cameras[0])\", \"\(cameras[1])\"]}"))
            let critical = try Self.decode(AlarmAnswer.self, try await post("/api/alarms",
                "{\"title\": \"싸움 신고\", \"priority\": \"critical\", \"cameraIds\": [\"\(cameras[2])\"], \"latitude\": 37.5, \"longitude\": 127.03}"))
            let drill = try Self.decode(AlarmAnswer.self, try await post("/api/alarms", "{\"title\": \"훈련\", \"priority\": \"critical\", \"drill\": true}"))
            #expect(normal.cameraLabels.count == 2 && !normal.cameraLabels[0].isEmpty)
            let queue = try Self.decode([AlarmAnswer].self, try await client.sendRequest(.GET, "/api/alarms", headers: officer.headers))
            #expect(queue.map(\.id) == [critical.id, drill.id, normal.id])

            // Acknowledge; dismissing without a note is refused, with one it is done; twice is a conflict.
            #expect(try Self.decode(AlarmAnswer.self, try await post("/api/alarms/\(drill.id)/acknowledge", nil)).status == "acknowledged")
            let noNote = try await post("/api/alarms/\(drill.id)/dismiss", "{\"note\": \" \"}")
            #expect(noNote.status == .badRequest && noNote.body.string.contains("note"))
            #expect(try await post("/api/alarms/\(drill.id)/dismiss", "{\"note\": \"훈련 끝\"}").status == .ok)
            #expect(try await post("/api/alarms/\(drill.id)/dismiss", "{\"note\": \"again\"}").status == .conflict)

            // Escalate the normal alarm: an incident numbered in this year, its cameras held ±.
            let escalated = try await post("/api/alarms/\(normal.id)/escalate", "{\"kind\": \"crime\", \"title\": \"차량 절도 의심\", \"note\": \"경찰 통보\"}")
            #expect(escalated.status == .ok, "\(escalated.body.string)")
            let detail = try Self.decode(Detail.self, escalated)
            let year = IncidentRules.koreanYear(of: Date())
            #expect(detail.incident.number == "\(year)-0001" && detail.incident.cameraIds == [cameras[0], cameras[1]])
            #expect(detail.alarms.map(\.id) == [normal.id] && detail.alarms[0].status == "escalated" && detail.alarms[0].incidentId == detail.incident.id)
            #expect(detail.timeline.map(\.kind) == ["opened", "holdPlaced", "alarmLinked"])
            let holds = try await RecordingRepository(database: app.db).activeHolds()
            #expect(Set(holds.map(\.cameraID)) == [cameras[0], cameras[1]])
            #expect(holds.allSatisfy { abs($0.to.timeIntervalSince($0.from) - 5_400) < 1 && $0.reason.contains(detail.incident.number) })

            // The critical alarm joins the same incident: its camera linked and held too.
            let joined = try Self.decode(Detail.self, try await post("/api/alarms/\(critical.id)/escalate", "{\"incidentId\": \"\(detail.incident.id)\"}"))
            #expect(joined.incident.cameraIds == [cameras[0], cameras[1], cameras[2]] && joined.alarms.count == 2)
            #expect(Set(try await RecordingRepository(database: app.db).activeHolds().map(\.cameraID)).count == 3)

            // Note, clip (held), grade; a second incident gets the next number.
            let incidentPath = "/api/incidents/\(detail.incident.id)"
            #expect(try await post("\(incidentPath)/notes", "{\"text\": \"용의자 북쪽으로 도주\"}").status == .ok)
            let clipFrom = Date().addingTimeInterval(-7_200)
            let formatter = ISO8601DateFormatter()
            let clipped = try Self.decode(Detail.self, try await post("\(incidentPath)/clips",
                "{\"cameraId\": \"\(cameras[2])\", \"from\": \"\(formatter.string(from: clipFrom))\", \"to\": \"\(formatter.string(from: clipFrom.addingTimeInterval(60)))\", \"label\": \"도주 장면\"}"))
            #expect(clipped.incident.clips.count == 1)
            #expect(try await RecordingRepository(database: app.db).activeHolds().contains { $0.cameraID == cameras[2] && abs($0.from.timeIntervalSince(clipFrom)) < 1 })
            let badGrade = try await post("\(incidentPath)/status", "{\"grade\": 7}")
            #expect(badGrade.status == .badRequest && badGrade.body.string.contains("grade"))
            let closed = try Self.decode(Detail.self, try await post("\(incidentPath)/status", "{\"status\": \"closed\", \"note\": \"경찰 인계 완료\"}"))
            #expect(closed.incident.status == "closed")
            #expect(try await post("\(incidentPath)/notes", "{\"text\": \"late\"}").status == .conflict)
            #expect(try Self.decode(Detail.self, try await post("\(incidentPath)/status", "{\"status\": \"open\"}")).timeline.last?.kind == "reopened")
            let second = try Self.decode(Detail.self, try await post("/api/incidents", "{\"kind\": \"fire\", \"title\": \"연기 감지\"}"))
            #expect(second.incident.number == "\(year)-0002")
            #expect(try await post("/api/incidents", "{\"kind\": \"arson\", \"title\": \"x\"}").status == .badRequest)

            // Statistics count the real alarms only.
            let stats = try Self.decode(Stats.self, try await client.sendRequest(.GET, "/api/alarms/stats", headers: officer.headers))
            #expect(stats.total == 2 && stats.drills == 1 && stats.escalated == 2 && stats.dismissed == 0 && stats.bySource["operator"] == 2)

            // Audit: every step.
            let actions = Set(try await AuditLog(database: app.db).list(.init()).map(\.action))
            #expect(actions.isSuperset(of: ["alarm.raise", "alarm.acknowledge", "alarm.dismiss", "alarm.escalate", "incident.open",
                                            "incident.note", "incident.clip", "incident.update"]))
        }
    }

    struct BulkAnswer: Decodable {
        struct Refused: Decodable {
            var id: UUID
            var reason: String
        }

        var done: [AlarmAnswer]
        var refused: [Refused]
    }

    @Test(arguments: DatabaseKind.allCases)
    func severalAlarmsAreHandledAtOnceAndADismissalIsTakenBack(_ kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let operatorSession = try await app.signIn(as: .operator)
            let client = try app.testing()
            func post(_ path: String, _ body: String?) async throws -> TestingHTTPResponse {
                try await client.sendRequest(.POST, path, headers: operatorSession.headers, body: body.map { .text($0) })
            }
            var raised: [AlarmAnswer] = []
            for index in 0..<4 {
                raised.append(try Self.decode(AlarmAnswer.self, try await post("/api/alarms", "{\"title\": \"오탐 \(index)\"}")))
            }
            let ids = raised.map(\.id)
            #expect(try await post("/api/alarms/\(ids[3])/dismiss", "{\"note\": \"먼저 종결\"}").status == .ok)

            // Acknowledge three and an unknown id: three done, the rest refused by name.
            let stranger = UUID()
            let acknowledged = try Self.decode(BulkAnswer.self, try await post("/api/alarms/bulk",
                "{\"action\": \"acknowledge\", \"ids\": [\"\(ids[0])\", \"\(ids[1])\", \"\(ids[3])\", \"\(stranger)\"]}"))
            #expect(Set(acknowledged.done.map(\.id)) == [ids[0], ids[1]] && acknowledged.done.allSatisfy { $0.status == "acknowledged" })
            #expect(Set(acknowledged.refused.map(\.id)) == [ids[3], stranger])
            #expect(acknowledged.refused.first { $0.id == ids[3] }?.reason.contains("dismissed") == true)
            #expect(acknowledged.refused.first { $0.id == stranger }?.reason.contains("no alarm") == true)

            // Dismissing several needs a reason; with one, every active alarm named goes.
            let noReason = try await post("/api/alarms/bulk", "{\"action\": \"dismiss\", \"ids\": [\"\(ids[0])\"]}")
            #expect(noReason.status == .badRequest && noReason.body.string.contains("note"))
            #expect(try await post("/api/alarms/bulk", "{\"action\": \"escalate\", \"ids\": [\"\(ids[0])\"]}").status == .badRequest)
            #expect(try await post("/api/alarms/bulk", "{\"action\": \"acknowledge\", \"ids\": []}").status == .badRequest)
            let dismissed = try Self.decode(BulkAnswer.self, try await post("/api/alarms/bulk",
                "{\"action\": \"dismiss\", \"ids\": [\"\(ids[0])\", \"\(ids[1])\", \"\(ids[2])\"], \"note\": \"센서 오작동\"}"))
            #expect(dismissed.done.count == 3 && dismissed.refused.isEmpty && dismissed.done.allSatisfy { $0.status == "dismissed" })
            let queue = try Self.decode([AlarmAnswer].self, try await client.sendRequest(.GET, "/api/alarms", headers: operatorSession.headers))
            #expect(queue.isEmpty, "nothing active is left")

            // One was dismissed by mistake: reopened, it is back in the queue; reopening twice is a conflict.
            let reopened = try Self.decode(AlarmAnswer.self, try await post("/api/alarms/\(ids[1])/reopen", "{\"note\": \"실제 상황\"}"))
            #expect(reopened.status == "open")
            #expect(try await post("/api/alarms/\(ids[1])/reopen", nil).status == .conflict)
            // Reopening several at once (an Undo): the one reopened already is named, the other comes back.
            let undone = try Self.decode(BulkAnswer.self, try await post("/api/alarms/bulk",
                "{\"action\": \"reopen\", \"ids\": [\"\(ids[1])\", \"\(ids[2])\", \"\(ids[2])\"]}"))
            #expect(undone.done.map(\.id) == [ids[2]] && undone.done.allSatisfy { $0.status == "open" })
            #expect(undone.refused.map(\.id) == [ids[1]] && undone.refused.allSatisfy { $0.reason.contains("only a dismissed alarm") })
            let after = try Self.decode([AlarmAnswer].self, try await client.sendRequest(.GET, "/api/alarms", headers: operatorSession.headers))
            #expect(Set(after.map(\.id)) == [ids[1], ids[2]])
            let police = try await app.signIn(as: .police)
            #expect(try await client.sendRequest(.POST, "/api/alarms/bulk", headers: police.headers,
                                                 body: .text("{\"action\": \"acknowledge\", \"ids\": [\"\(ids[1])\"]}")).status == .forbidden)
            let actions = try await AuditLog(database: app.db).list(.init(limit: 200)).map(\.action)
            #expect(actions.filter { $0 == "alarm.dismiss" }.count == 4 && actions.filter { $0 == "alarm.reopen" }.count == 2)
        }
    }

    @Test func rolesAndCameraScopeDecideWhoSeesAndHandlesWhat() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let admin = try await app.signIn(as: .administrator)
            let client = try app.testing()
            let hidden = try Self.decode(AlarmAnswer.self, try await client.sendRequest(.POST, "/api/alarms", headers: admin.headers,
                body: .text("{\"title\": \"hidden\", \"cameraIds\": [\"\(cameras[1])\"]}")))
            let open = try Self.decode(AlarmAnswer.self, try await client.sendRequest(.POST, "/api/alarms", headers: admin.headers,
                body: .text("{\"title\": \"no cameras\"}")))
            let police = try await app.signIn(as: .police)
            #expect(try await client.sendRequest(.POST, "/api/alarms", headers: police.headers, body: .text("{\"title\": \"x y\"}")).status == .forbidden)
            #expect(try await client.sendRequest(.POST, "/api/alarms/\(open.id)/acknowledge", headers: police.headers).status == .forbidden)
            // The police officer sees no cameras: the alarm without cameras only.
            let seen = try Self.decode([AlarmAnswer].self, try await client.sendRequest(.GET, "/api/alarms", headers: police.headers))
            #expect(seen.map(\.id) == [open.id])
            #expect(try await client.sendRequest(.GET, "/api/alarms/\(hidden.id)", headers: police.headers).status == .notFound)
            let maintenance = try await app.signIn(as: .maintenance)
            #expect(try await client.sendRequest(.GET, "/api/alarms", headers: maintenance.headers).status == .forbidden)
            let unknown = try await client.sendRequest(.POST, "/api/alarms", headers: admin.headers,
                                                       body: .text("{\"title\": \"x y\", \"cameraIds\": [\"\(UUID())\"]}"))
            #expect(unknown.status == .badRequest && unknown.body.string.contains("cameraIds"))
        }
    }

    @Test func consolesHearAlarmsAndWallRequestsLiveAndAnalyticsBecomeAlarms() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let admin = try await app.signIn(as: .administrator)
            let port = try await app.startOnFreePort()
            let socket = try await LiveTextSocket.open(port: port, path: "/api/alarms/live", cookie: admin.cookie)
            // Wait until the socket is subscribed, then raise an alarm that asks for the wall.
            for _ in 0..<100 where app.cityWatch.alarms.listenerCount == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let service = IncidentService(database: app.db, center: app.cityWatch.alarms)
            let alarm = try await service.raise(Alarm(source: .bell, sourceRef: "B-1", priority: .critical, title: "비상벨", cameraIDs: [cameras[1], cameras[0]],
                                                      raisedAt: Date(), toWall: true))
            // An analytics event becomes an alarm through the bridge; acknowledging the event acknowledges it.
            let bridge = AnalyticsAlarmBridge(hub: AnalyticsEventHub(), center: app.cityWatch.alarms, directory: app.cityWatch.directory, database: { app.db })
            var event = AnalyticsEvent(cameraID: cameras[0], ruleID: UUID(), ruleName: "정문 침입", kind: "intrusion", at: Date(), trackIDs: [1], boxes: [], classes: [.person])
            try await bridge.handle(.raised(event))
            event.acknowledgedBy = "kim"
            event.note = "배달원"
            try await bridge.handle(.updated(event))
            try await bridge.handle(.tamper(cameraID: cameras[1], state: "covered", at: Date(), detail: "contrast"))
            try await bridge.handle(.tamper(cameraID: cameras[1], state: "normal", at: Date(), detail: ""))

            let texts = await socket.next(5)
            try await socket.close()
            await app.server.shutdown()

            #expect(texts[0].contains("\"type\":\"alarm\"") && texts[0].contains(alarm.id.uuidString))
            #expect(texts[1].contains("\"type\":\"wall\"") && texts[1].contains("\"cameraIds\":[\"\(cameras[1])\",\"\(cameras[0])\"]"))
            #expect(texts[2].contains("\"type\":\"alarm\"") && texts[2].contains("\"source\":\"analytics\"") && texts[2].contains("정문 침입"))
            #expect(texts[3].contains("\"type\":\"alarm.update\"") && texts[3].contains("\"status\":\"acknowledged\"") && texts[3].contains("배달원"))
            #expect(texts[4].contains("\"source\":\"cameraHealth\"") && texts[4].contains("covered"))
            let stored = try await IncidentRepository(database: app.db).alarms(includeFinished: true, limit: 10)
            #expect(stored.count == 3, "a return to normal raises nothing")
            #expect(stored.first { $0.source == .analytics }?.priority == .high)
        }
    }

    @Test func anIncidentsCastNetLinksTheBestCamerasAndSendsThemToTheWall() async throws {
        try #require(FileManager.default.fileExists(atPath: RepositoryPaths.gangnamRoadNetwork.path), "needs ../shared/data/gangnam.net.xml")
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(40)
            let admin = try await app.signIn(as: .administrator)
            let client = try app.testing()
            let incidentTime = Date().addingTimeInterval(-300)
            let opened = try Self.decode(Detail.self, try await client.sendRequest(.POST, "/api/incidents", headers: admin.headers, body: .text(
                "{\"kind\": \"crime\", \"title\": \"112 강도\", \"latitude\": 37.4985, \"longitude\": 127.0310, \"occurredAt\": \"\(ISO8601DateFormatter().string(from: incidentTime))\"}")))
            let listener = app.cityWatch.alarms.subscribe()
            let net = try await client.sendRequest(.POST, "/api/incidents/\(opened.incident.id)/castnet", headers: admin.headers, body: .text("{\"limit\": 5}"))
            #expect(net.status == .ok, "\(net.body.string)")
            let plan = try Self.decode(CastNetAPITests.Answer.self, net)
            let best = plan.plan.cameras.prefix(5).map { UUID(uuidString: $0.cameraID)! }
            #expect(!best.isEmpty && Set(best).isSubset(of: Set(cameras)))
            let after = try Self.decode(Detail.self, try await client.sendRequest(.GET, "/api/incidents/\(opened.incident.id)", headers: admin.headers))
            #expect(after.incident.cameraIds == best, "the chosen cameras are linked in rank order")
            #expect(after.timeline.contains { $0.kind == "castNet" })
            var messages = listener.makeAsyncIterator()
            var wall: AlarmCenter.WallRequest?
            while wall == nil, let message = await messages.next() {
                if case .wall(let request) = message { wall = request }
            }
            #expect(wall?.cameraIDs == best && wall?.incidentID == opened.incident.id)
            // Follow: seen on the last chosen camera a minute ago, the net re-centres there.
            let seenAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
            let follow = try await client.sendRequest(.POST, "/api/incidents/\(opened.incident.id)/castnet", headers: admin.headers,
                                                      body: .text("{\"seenOnCameraId\": \"\(best.last!)\", \"seenAt\": \"\(seenAt)\", \"toWall\": false}"))
            #expect(follow.status == .ok, "\(follow.body.string)")
            let followed = try Self.decode(CastNetAPITests.Answer.self, follow)
            #expect(followed.plan.cameras.first?.cameraID != plan.plan.cameras.first?.cameraID || followed.plan.cameras.count != plan.plan.cameras.count)
            let timeline = try Self.decode(Detail.self, try await client.sendRequest(.GET, "/api/incidents/\(opened.incident.id)", headers: admin.headers)).timeline
            #expect(timeline.contains { $0.kind == "castNet" && $0.text.contains("follow") })
            // No place and no camera to follow from: a clear conflict.
            let placeless = try Self.decode(Detail.self, try await client.sendRequest(.POST, "/api/incidents", headers: admin.headers,
                                                                                      body: .text("{\"kind\": \"other\", \"title\": \"전화 신고\"}")))
            let refused = try await client.sendRequest(.POST, "/api/incidents/\(placeless.incident.id)/castnet", headers: admin.headers)
            #expect(refused.status == .conflict && refused.body.string.contains("seenOnCameraId"))
        }
    }
}
