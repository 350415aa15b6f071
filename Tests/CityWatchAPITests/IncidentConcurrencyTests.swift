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
                #expect((error as? IncidentService.Problem) == .conflict("the alarm is already escalated"), "\(error)")
            }
            let stored = try #require(try await IncidentRepository(database: app.db).alarm(alarm.id))
            #expect(stored.status == .escalated && stored.incidentID == opened.first)
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
            struct IDOnly: Decodable { var id: UUID }
            let group = try await client.sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                     body: .text("{\"name\": \"gate\", \"rule\": {\"cameraIds\": [\"\(cameras[0])\"]}}"))
            let officer = try await app.signIn(as: .operator, groups: [try group.content.decode(IDOnly.self).id])
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
            struct IDOnly: Decodable { var id: UUID }
            let group = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                            body: .text("{\"name\": \"mine\", \"rule\": {\"cameraIds\": [\"\(cameras[0])\"]}}"))
            let officer = try await app.signIn(as: .operator, groups: [try group.content.decode(IDOnly.self).id])
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
