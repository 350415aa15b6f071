import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The 112/119 link through the API: a partner's platform event opens an alarm and an
/// incident with its cast-net and wall request; repeats change nothing, later statuses update;
/// forged, revoked and malformed messages are refused with nothing stored.
@Suite("112/119 platform link API")
struct PlatformLinkAPITests {
    struct Reply: Decodable {
        var resultCode: String
        var resultMsg: String
        var incidentNo: String?
        var incidentId: UUID?
        var incidentStatus: String?
        var cameraCount: Int?
        var field: String?
    }

    /// A platform message with `changes` applied (nil removes a field).
    static func message(_ id: String = "EVT-20260528-0001", status: String = "발생", at time: Date,
                        _ changes: [String: Any?] = [:]) -> String {
        var object: [String: Any] = [
            "evtId": id, "evtNm": "112 긴급영상지원", "evtGrad": "1", "ocrNbr": "112-0528-7731", "ocrSts": status,
            "ocrLc": ["crdntX": "127.0310", "crdntY": 37.4985], "ocrPlc": "서울 강남구 역삼동 강남역 11번 출구",
            "ocrEvtCn": "강도 신고, 용의자 남쪽으로 도주", "ocrEvtTime": PlatformMessage.koreanText(time),
        ]
        for (key, value) in changes { object[key] = value ?? nil }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func send(_ app: Application, _ body: String, secret: String?) async throws -> TestingHTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let secret { headers.add(name: .authorization, value: "Bearer \(secret)") }
        return try await app.testing().sendRequest(.POST, "/api/platform/events", headers: headers, body: .text(body))
    }

    static func reply(_ response: TestingHTTPResponse) throws -> Reply {
        try JSONDecoder().decode(Reply.self, from: Data(response.body.readableBytesView))
    }

    /// How much the link has stored: incidents, alarms, kept messages, timeline lines.
    static func counts(_ app: Application) async throws -> [Int] {
        [try await IncidentModel.query(on: app.db).count(), try await AlarmModel.query(on: app.db).count(),
         try await PlatformRepository(database: app.db).messageCount(), try await IncidentTimelineModel.query(on: app.db).count()]
    }

    @Test(arguments: DatabaseKind.allCases)
    func aPoliceEventOpensAnIncidentWithItsCastNetRepeatsChangeNothingAndTheEndClosesIt(_ kind: DatabaseKind) async throws {
        try #require(FileManager.default.fileExists(atPath: RepositoryPaths.gangnamRoadNetwork.path), "needs ../shared/data/gangnam.net.xml")
        let clock = TestClock(start: Date())
        try await withCityWatch(kind, clock: clock.closure) { app in
            let cameras = try await app.makeCameras(40)
            let (_, secret) = try await PlatformPartners(database: app.db).add("seoul-112", by: "test")
            let listener = app.cityWatch.alarms.subscribe()
            let occurred = clock.now.addingTimeInterval(-300)
            let first = Self.message(at: occurred)

            let opened = try await Self.send(app, first, secret: secret)
            #expect(opened.status == .ok, "\(opened.body.string)")
            let answer = try Self.reply(opened)
            #expect(answer.resultCode == "00" && answer.incidentNo == "\(IncidentRules.koreanYear(of: clock.now))-0001")
            let incidentID = try #require(answer.incidentId)
            let incident = try #require(try await IncidentRepository(database: app.db).incident(incidentID))
            #expect(incident.origin == "112" && incident.originRef == "EVT-20260528-0001" && incident.grade == 1 && incident.kind == .crime)
            #expect(incident.address == "서울 강남구 역삼동 강남역 11번 출구" && abs(incident.occurredAt.timeIntervalSince(occurred)) < 1)
            #expect(!incident.cameraIDs.isEmpty && Set(incident.cameraIDs).isSubset(of: Set(cameras)))
            #expect(answer.cameraCount == incident.cameraIDs.count)
            let alarm = try #require(try await IncidentRepository(database: app.db).alarm(source: .emergencyCall, ref: "EVT-20260528-0001"))
            #expect(alarm.priority == .critical && alarm.status == .escalated && alarm.incidentID == incident.id && alarm.toWall)
            #expect(alarm.cameraIDs == incident.cameraIDs, "the alarm shows the cameras the cast-net chose")
            let timeline = try await IncidentRepository(database: app.db).timeline(of: incident.id)
            #expect(timeline.contains { $0.kind == .castNet } && timeline.allSatisfy { $0.by == "platform:seoul-112" })
            // The cast-net's cameras were sent to the walls, for this incident.
            var messages = listener.makeAsyncIterator()
            var wall: AlarmCenter.WallRequest?
            while wall == nil, let message = await messages.next() {
                if case .wall(let request) = message { wall = request }
            }
            #expect(wall?.incidentID == incident.id && wall?.cameraIDs == incident.cameraIDs)
            let holds = try await RecordingRepository(database: app.db).activeHolds()
            #expect(Set(holds.map(\.cameraID)) == Set(incident.cameraIDs), "the footage around the event is held")

            // The same message again: the same incident, nothing stored.
            let before = try await Self.counts(app)
            let again = try Self.reply(try await Self.send(app, first, secret: secret))
            #expect(again.resultCode == "01" && again.incidentId == incident.id && again.incidentNo == answer.incidentNo)
            #expect(try await Self.counts(app) == before)

            // Another partner cannot move the event on: 403 "43", nothing stored, still open.
            let (_, otherSecret) = try await PlatformPartners(database: app.db).add("busan-112", by: "test")
            let intruder = try await Self.send(app, Self.message(status: "종료", at: occurred), secret: otherSecret)
            let intruderAnswer = try Self.reply(intruder)
            #expect(intruder.status == .forbidden && intruderAnswer.resultCode == "43", "\(intruder.body.string)")
            #expect(try await Self.counts(app) == before)
            #expect(try await IncidentRepository(database: app.db).incident(incident.id)?.status == .open)

            // 진행 adds a timeline line; 종료 closes the incident; 종료 again changes nothing.
            let progress = try Self.reply(try await Self.send(app, Self.message(status: "진행", at: occurred, ["ocrEvtCn": "순찰차 도착"]), secret: secret))
            #expect(progress.resultCode == "00" && progress.incidentStatus == "open")
            let ended = try Self.reply(try await Self.send(app, Self.message(status: "종료", at: occurred, ["ocrEvtCn": "용의자 검거"]), secret: secret))
            #expect(ended.resultCode == "00" && ended.incidentStatus == "closed")
            let lines = try await IncidentRepository(database: app.db).timeline(of: incident.id)
            #expect(lines.contains { $0.kind == .updated && $0.text.contains("순찰차 도착") })
            #expect(lines.contains { $0.kind == .closed } && lines.contains { $0.kind == .note && $0.text.contains("용의자 검거") })
            let settled = try await Self.counts(app)
            #expect(try Self.reply(try await Self.send(app, Self.message(status: "종료", at: occurred), secret: secret)).resultCode == "01")
            #expect(try Self.reply(try await Self.send(app, Self.message(status: "진행", at: occurred), secret: secret)).resultCode == "01",
                    "an older status after a newer one changes nothing")
            #expect(try await Self.counts(app) == settled)
            let kept = try await PlatformRepository(database: app.db).messages(event: "EVT-20260528-0001")
            #expect(kept.map(\.status) == ["occurred", "inProgress", "ended"] && kept[0].raw == first && kept.allSatisfy { $0.incidentID == incident.id })

            // An update for an event never opened: 404 naming evtId, nothing stored.
            let unknown = try await Self.send(app, Self.message("EVT-UNKNOWN", status: "종료", at: occurred), secret: secret)
            let unknownAnswer = try Self.reply(unknown)
            #expect(unknown.status == .notFound && unknownAnswer.field == "evtId")
            #expect(try await Self.counts(app) == settled)

            // A 119 report opens a fire incident with the next number.
            let fire = try Self.reply(try await Self.send(app, Self.message("EVT-119-7", at: occurred, ["evtNm": "119 긴급출동지원", "evtGrad": 3]), secret: secret))
            #expect(fire.resultCode == "00" && fire.incidentNo == "\(IncidentRules.koreanYear(of: clock.now))-0002")
            let fireID = try #require(fire.incidentId)
            let fireIncident = try #require(try await IncidentRepository(database: app.db).incident(fireID))
            #expect(fireIncident.kind == .fire && fireIncident.origin == "119" && fireIncident.grade == 3)

            let actions = try await AuditLog(database: app.db).list(.init()).filter { $0.action == "platform.event" }
            #expect(actions.count == 4 && actions.allSatisfy { $0.actor == "platform:seoul-112" })
        }
    }

    /// A first copy raised the alarm and then failed (the store went away mid-way); the copy
    /// the platform sends again takes up that alarm instead of raising a second one.
    @Test func aCopySentAgainAfterAHalfOpeningTakesUpItsAlarm() async throws {
        let clock = TestClock(start: Date())
        try await withCityWatch(.sqlite, clock: clock.closure) { app in
            _ = try await app.makeCameras(10)
            let (_, secret) = try await PlatformPartners(database: app.db).add("seoul-112", by: "test")
            let left = try await IncidentService(database: app.db, center: app.cityWatch.alarms)
                .raise(Alarm(source: .emergencyCall, sourceRef: "EVT-HALF-1", priority: .critical, title: "112 긴급영상지원", raisedAt: clock.now))
            let answer = try Self.reply(try await Self.send(app, Self.message("EVT-HALF-1", at: clock.now.addingTimeInterval(-60)), secret: secret))
            #expect(answer.resultCode == "00")
            let alarms = try await AlarmModel.query(on: app.db).count()
            #expect(alarms == 1, "no second alarm for the event")
            let taken = try #require(try await IncidentRepository(database: app.db).alarm(left.id))
            #expect(taken.status == .escalated && taken.incidentID == answer.incidentId)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func forgedRevokedAndMalformedMessagesAreRefusedAndStoreNothing(_ kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            _ = try await app.makeCameras(5)
            let partners = PlatformPartners(database: app.db)
            let (_, secret) = try await partners.add("gangnam-119", by: "test")
            let good = Self.message(at: Date().addingTimeInterval(-60))

            // No credential, a forged one, a revoked partner's: 401, each audit-logged.
            for forged in [nil, "cwp_forged", secret + "x"] {
                let refused = try await Self.send(app, good, secret: forged)
                let answer = try Self.reply(refused)
                #expect(refused.status == .unauthorized && answer.resultCode == "41")
            }
            let (_, other) = try await partners.add("old-gateway", by: "test")
            _ = try await partners.revoke("old-gateway", by: "test")
            #expect(try await Self.send(app, good, secret: other).status == .unauthorized)
            // One row per kind of refusal in full; the second forged secret counted into a summary.
            let refusals = try await AuditLog(database: app.db).list(.init()).filter { $0.action == "platform.auth.refused" }
            #expect(refusals.count == 3 && refusals.contains { $0.target == "old-gateway" && $0.details.contains("revoked") })
            try await app.cityWatch.refusals.flush(audit: AuditLog(database: app.db), now: Date(), force: true)
            let summary = try await AuditLog(database: app.db).list(.init(action: "anonymous.refusals"))
            #expect(summary.count == 1 && summary.first?.target == "platform" && AuditDetails.int("refusals", in: summary.first?.details ?? "") == 2
                    && summary.first?.details.contains("unknown secret") == true, "\(summary.map(\.details))")
            #expect(try await partners.list().map { $0.revokedAt != nil } == [false, true])

            // Malformed: 400 naming the field; nothing stored.
            let now = Date()
            let cases: [(String, String)] = [
                (Self.message(at: now, ["evtId": nil]), "evtId"),
                (Self.message(at: now, ["evtId": "a b"]), "evtId"),
                (Self.message(at: now, ["evtGrad": "9"]), "evtGrad"),
                (Self.message(at: now, ["ocrSts": "접수"]), "ocrSts"),
                (Self.message(at: now, ["ocrEvtTime": "2026-05-28 10:00"]), "ocrEvtTime"),
                (Self.message(at: now, ["ocrEvtTime": "20260231120000"]), "ocrEvtTime"),
                (Self.message(at: now.addingTimeInterval(3_600)), "ocrEvtTime"),
                (Self.message(at: now, ["ocrLc": nil]), "ocrLc"),
                (Self.message(at: now, ["ocrLc": ["crdntX": "139.69", "crdntY": "35.68"]]), "ocrLc"),
                (Self.message(at: now, ["ocrLc": ["crdntX": "37.4985", "crdntY": "127.031"]]), "ocrLc"),
                (Self.message(at: now, ["ocrLc": ["crdntX": "127.031"]]), "ocrLc.crdntY"),
                (Self.message(at: now, ["ocrLc": ["crdntX": "129.0756", "crdntY": "35.1796"]]), "ocrLc"),
                (Self.message(at: now, ["evtNm": "긴급영상지원"]), "svcTy"),
                (Self.message(at: now, ["ocrEvtCn": String(repeating: "가", count: 8_000)]), ""),
                ("[1, 2]", ""),
            ]
            for (body, field) in cases {
                let refused = try await Self.send(app, body, secret: secret)
                #expect(refused.status == .badRequest, "\(field): \(refused.body.string)")
                let answer = try Self.reply(refused)
                #expect(answer.resultCode == "40" && (field.isEmpty || answer.field == field), "\(field): \(refused.body.string)")
            }
            #expect(try await Self.counts(app) == [0, 0, 0, 0])
            #expect(try await Self.send(app, good, secret: secret).status == .ok, "the same partner's good message still works")
        }
    }

    /// The routes that take a credential other than a session.
    static let credentialRoutes: Set<String> = [
        "POST /api/platform/events", "GET /api/shared/:token", "GET /api/shared/:token/live/:camera",
        "GET /api/shared/:token/playback/:camera", "GET /api/shared/:token/segments/:segment", "GET /metrics",
        "GET /api/cluster/peer/ping", "GET /api/cluster/peer/cameras/:id/live", "GET /api/cluster/peer/segments/:id",
        "GET /api/cluster/peer/exports/:id",
    ]

    @Test func routesWithTheirOwnCredentialAnswer401WithoutOne() async throws {
        try await withCityWatch(.sqlite) { app in
            let routes = app.routes.all.filter { if case .credential? = $0.access { true } else { false } }
            let paths = Set(routes.map { "\($0.method.rawValue) /\($0.path.map(\.description).joined(separator: "/"))" })
            #expect(paths == Self.credentialRoutes)
            for route in routes {
                let path = RouteAccessTests.concretePath(route)
                let response = try await app.testing().sendRequest(route.method, path, headers: ["Content-Type": "application/json"], body: .text("{}"))
                #expect(response.status == .unauthorized, "\(route.method.rawValue) \(path) answered \(response.status.code)")
            }
        }
    }
}
