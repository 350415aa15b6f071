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

/// An operator whose one camera group holds only `camera`.
func operatorOf(_ camera: UUID, app: Application, admin: TestSession) async throws -> TestSession {
    struct IDOnly: Decodable { var id: UUID }
    let group = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                    body: .text("{\"name\": \"only \(camera)\", \"rule\": {\"cameraIds\": [\"\(camera)\"]}}"))
    return try await app.signIn(as: .operator, groups: [try group.content.decode(IDOnly.self).id])
}

/// Operators acting on the same alarm or incident at once: one escalation wins, no change to an
/// incident is lost, a refused escalation leaves nothing behind, and nobody escalates into an
/// incident they may not see; a busy other district does not push an operator's own alarms off
/// their list.
@Suite("Alarms and incidents: concurrent changes and camera groups")
struct IncidentConcurrencyTests {
    static func incidentCount(_ app: Application) async throws -> Int {
        try await IncidentRepository(database: app.db).incidents(closedSince: nil, limit: 1_000).count
    }

    @Test(arguments: DatabaseKind.allCases)
    func twoEscalationsOfOneAlarmOpenOneIncident(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let service = IncidentService(database: app.db, center: app.cityWatch.alarms)
            let alarm = try await service.raise(Alarm(source: .operator, priority: .high, title: "싸움", raisedAt: Date()))
            let outcomes = await withTaskGroup(of: Result<UUID, any Error>.self) { group in
                for name in ["kim", "lee", "park"] {
                    group.addTask {
                        do { return .success(try await service.escalate(alarm: alarm.id, into: nil, draft: nil, by: name, note: nil).1.id) } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: [Result<UUID, any Error>]()) { $0.append($1) }
            }
            let opened = outcomes.compactMap { try? $0.get() }
            #expect(opened.count == 1, "one escalation opens the incident: \(outcomes)")
            #expect(try await Self.incidentCount(app) == 1)
            for case .failure(let error) in outcomes {
                #expect([.conflict("the alarm is already escalated"), .conflict("the alarm is being escalated by another operator")]
                    .contains(error as? IncidentService.Problem), "\(error)")
            }
            let stored = try #require(try await IncidentRepository(database: app.db).alarm(alarm.id))
            #expect(stored.status == .escalated && stored.incidentID == opened.first)
        }
    }

    /// An escalation under way keeps the alarm in the queue and others out; one that never
    /// finished (its server stopped) lapses, and the alarm can be escalated again.
    @Test func anUnfinishedEscalationLapsesAndTheAlarmStaysInTheQueue() async throws {
        try await withCityWatch(.sqlite) { app in
            let service = IncidentService(database: app.db, center: app.cityWatch.alarms)
            let repository = IncidentRepository(database: app.db)
            var alarm = try await service.raise(Alarm(source: .operator, priority: .high, title: "비명", raisedAt: Date()))
            alarm.escalatingSince = Date()
            try await repository.save(alarm)
            #expect(try await repository.alarms(includeFinished: false, limit: 10).map(\.id) == [alarm.id], "still in the queue")
            await #expect(throws: IncidentService.Problem.conflict("the alarm is being escalated by another operator")) {
                try await service.escalate(alarm: alarm.id, into: nil, draft: nil, by: "lee", note: nil)
            }
            alarm.escalatingSince = Date().addingTimeInterval(-(Alarm.escalationClaimSeconds + 1))
            try await repository.save(alarm)
            let (escalated, incident) = try await service.escalate(alarm: alarm.id, into: nil, draft: nil, by: "lee", note: nil)
            #expect(escalated.status == .escalated && escalated.incidentID == incident.id && escalated.escalatingSince == nil)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func camerasLinkedAtOnceAreAllKept(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let service = IncidentService(database: app.db, center: app.cityWatch.alarms)
            let incident = try await service.open(.init(kind: .crime, title: "도주", occurredAt: Date()), by: "kim")
            let cameras = (0..<12).map { _ in UUID() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for camera in cameras {
                    group.addTask { _ = try await service.linkCameras([camera], to: incident.id, by: "cast-net") }
                }
                group.addTask { _ = try await service.update(incident.id, status: .handedOver, grade: 1, note: nil, by: "lee") }
                try await group.waitForAll()
            }
            let stored = try #require(try await IncidentRepository(database: app.db).incident(incident.id))
            #expect(Set(stored.cameraIDs) == Set(cameras), "no linked camera is lost")
            #expect(stored.status == .handedOver && stored.grade == 1, "nor the status change made meanwhile")
        }
    }

    @Test func aRefusedEscalationOpensNothingAndAHiddenIncidentIsNotJoined() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let admin = try await app.signIn(as: .administrator)
            let client = try app.testing()
            let officer = try await operatorOf(cameras[0], app: app, admin: admin)
            let service = IncidentService(database: app.db, center: app.cityWatch.alarms)
            let alarm = try await service.raise(Alarm(source: .operator, priority: .high, title: "배회", cameraIDs: [cameras[0]], raisedAt: Date()))

            // A note too long: 400, and no incident, no hold, the alarm still open.
            let long = String(repeating: "가", count: AlarmQueue.noteLimit + 1)
            let refused = try await client.sendRequest(.POST, "/api/alarms/\(alarm.id)/escalate", headers: officer.headers,
                                                       body: .text("{\"note\": \"\(long)\"}"))
            #expect(refused.status == .badRequest && refused.body.string.contains("note"), "\(refused.body.string)")
            #expect(try await Self.incidentCount(app) == 0)
            #expect(try await IncidentRepository(database: app.db).alarm(alarm.id)?.status == .open)

            // An incident on a camera outside the operator's groups: as if it did not exist.
            let hidden = try await service.open(.init(kind: .crime, title: "다른 구역", occurredAt: Date(), cameraIDs: [cameras[1]]), by: "admin")
            let joined = try await client.sendRequest(.POST, "/api/alarms/\(alarm.id)/escalate", headers: officer.headers,
                                                      body: .text("{\"incidentId\": \"\(hidden.id)\"}"))
            #expect(joined.status == .notFound, "\(joined.body.string)")
            #expect(try await IncidentRepository(database: app.db).incident(hidden.id)?.cameraIDs == [cameras[1]], "nothing linked into it")
            #expect(try await IncidentRepository(database: app.db).alarm(alarm.id)?.status == .open)
        }
    }

    @Test func anOperatorsOwnAlarmIsListedBehindManyOfAnotherDistrict() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let admin = try await app.signIn(as: .administrator)
            let officer = try await operatorOf(cameras[0], app: app, admin: admin)
            let service = IncidentService(database: app.db, center: app.cityWatch.alarms)
            let start = Date().addingTimeInterval(-3_600)
            for index in 0..<60 {
                _ = try await service.raise(Alarm(source: .operator, priority: .critical, title: "타 구역 \(index)", cameraIDs: [cameras[1]],
                                                  raisedAt: start.addingTimeInterval(Double(index))))
            }
            let mine = try await service.raise(Alarm(source: .operator, priority: .normal, title: "내 구역", cameraIDs: [cameras[0]], raisedAt: Date()))
            struct Listed: Decodable { var id: UUID }
            let listed = try await app.testing().sendRequest(.GET, "/api/alarms?limit=20", headers: officer.headers).content.decode([Listed].self)
            #expect(listed.map(\.id) == [mine.id], "the other district's 60 more urgent alarms fill no page of this operator's")
            let all = try await app.testing().sendRequest(.GET, "/api/alarms?limit=20", headers: admin.headers).content.decode([Listed].self)
            #expect(all.count == 20, "an administrator's page is full")
        }
    }
}

/// Limits met by real use: a view log longer than one page, over-long text fields, a cast-net
/// for the future, statistics within the user's camera groups.
@Suite("Control-room limits")
struct ControlRoomLimitTests {
    @Test func theViewLogCSVHoldsEveryViewOfThePeriodPastOnePage() async throws {
        try await withCityWatch(.sqlite) { app in
            let views = (0..<10_050).map { AuditEvent(actor: "op\($0 % 7)", action: "video.live.start", target: UUID().uuidString) }
            try await AuditLog(database: app.db).append(contentsOf: views)
            let service = ProvisionService(database: app.db, configuration: app.cityWatch.configuration)
            let csv = try await service.viewLogCSV(since: nil, until: nil, actor: "privacy")
            let rows = csv.split(separator: "\r\n").count - 1
            #expect(rows == 10_050, "every view, not the newest 10,000")
        }
    }

    @Test func overLongTextsAndFutureCastNetsAreRefusedAndStatisticsKeepToTheUsersGroups() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let admin = try await app.signIn(as: .administrator)
            let client = try app.testing()
            let officer = try await operatorOf(cameras[0], app: app, admin: admin)
            let long = String(repeating: "동", count: 301)
            let alarm = try await client.sendRequest(.POST, "/api/alarms", headers: officer.headers,
                                                     body: .text("{\"title\": \"배회\", \"address\": \"\(long)\"}"))
            #expect(alarm.status == .badRequest && alarm.body.string.contains("address"), "\(alarm.body.string)")
            let opened = try await client.sendRequest(.POST, "/api/incidents", headers: officer.headers, body: .text(
                "{\"kind\": \"crime\", \"title\": \"절도\", \"latitude\": 37.4985, \"longitude\": 127.031, \"cameraIds\": [\"\(cameras[0])\"]}"))
            #expect(opened.status == .created, "\(opened.body.string)")
            let incident = try opened.content.decode(IncidentAPITests.Detail.self).incident
            let linked = try await client.sendRequest(.POST, "/api/incidents/\(incident.id)/cameras", headers: officer.headers,
                                                      body: .text("{\"cameraIds\": [\"\(cameras[0])\"], \"reason\": \"\(String(repeating: "x", count: 501))\"}"))
            #expect(linked.status == .badRequest && linked.body.string.contains("reason"), "\(linked.body.string)")
            let future = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3_600))
            let cast = try await client.sendRequest(.POST, "/api/incidents/\(incident.id)/castnet", headers: officer.headers,
                                                    body: .text("{\"now\": \"\(future)\"}"))
            #expect(cast.status == .badRequest && cast.body.string.contains("now"), "\(cast.body.string)")

            // Statistics count only the alarms of the user's cameras.
            let service = IncidentService(database: app.db, center: app.cityWatch.alarms)
            _ = try await service.raise(Alarm(source: .operator, priority: .high, title: "내 구역", cameraIDs: [cameras[0]], raisedAt: Date()))
            for _ in 0..<3 {
                _ = try await service.raise(Alarm(source: .operator, priority: .high, title: "타 구역", cameraIDs: [cameras[1]], raisedAt: Date()))
            }
            struct Stats: Decodable { var total: Int }
            let mine = try await client.sendRequest(.GET, "/api/alarms/stats", headers: officer.headers).content.decode(Stats.self)
            let all = try await client.sendRequest(.GET, "/api/alarms/stats", headers: admin.headers).content.decode(Stats.self)
            #expect(mine.total == 1 && all.total == 4, "mine \(mine.total), all \(all.total)")
        }
    }
}
