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

/// Lists that leaked beyond the user's camera groups: data-subject requests (names and phone
/// numbers of people who asked for their footage) and bell presses now show only what the
/// user's cameras cover.
@Suite("Lists kept to the user's cameras")
struct ScopeLeakAPITests {
    struct Subject: Decodable {
        struct Request: Decodable {
            var id: UUID
            var subjectName: String
        }

        var request: Request
    }

    struct Press: Decodable {
        var bellId: UUID
        var alarmId: UUID?
    }

    @Test(arguments: DatabaseKind.allCases)
    func subjectRequestsAndBellPressesStayWithinTheUsersCameras(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let all = try await app.makeCameras(3)
            let admin = try await app.signIn(as: .administrator)
            let client = try app.testing()
            // A bell by the fixture's first camera (its third stands about 125 m away, out of the
            // bell's 100 m) pressed: its press is not in the other district's list.
            let sites = try await app.cityWatch.directory.snapshot(on: app.db)
            let end = try #require(all.first { id in sites.camera(id).map { sites.site(of: $0).record.managementNumber.hasSuffix("00001") } == true })
            let number = try await BellPressAPITests.bellNear(end, app: app)
            let sealer = try CredentialSealer.load(base64: nil, folder: (app.cityWatch.configuration.dataDirectory as NSString).appendingPathComponent("keys"))
            let (_, secret) = try await BellPressService(database: app.db, center: app.cityWatch.alarms, sealer: sealer).issueSecret(bell: number, by: "test")
            let pressed = try await client.sendRequest(.POST, "/api/bells/\(number)/press", headers: BellPressAPITests.signed(number, secret: secret))
            #expect(pressed.status == .accepted, "\(pressed.body.string)")
            let alarm = try #require(try await IncidentRepository(database: app.db).alarm(source: .bell, ref: number))
            try #require(!alarm.cameraIDs.isEmpty, "the bell is seen by no camera")
            // The other district's camera: one the bell's cameras do not include.
            let outside = try #require(all.first { !alarm.cameraIDs.contains($0) }, "every camera sees the bell: \(alarm.cameraIDs)")
            let cameras = [alarm.cameraIDs[0], outside]
            let group = try await client.sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                     body: .text("{\"name\": \"other district\", \"rule\": {\"cameraIds\": [\"\(cameras[1])\"]}}"))
            struct IDOnly: Decodable { var id: UUID }
            let groups = [try group.content.decode(IDOnly.self).id]
            let operatorUser = try await app.signIn(as: .operator, groups: groups)
            let officer = try await app.signIn(as: .privacyOfficer, groups: groups)

            // A subject request about camera 0, received by the administrator.
            let made = try await client.sendRequest(.POST, "/api/provision/subjects", headers: admin.headers, body: .text(
                "{\"subjectName\": \"홍길동\", \"contact\": \"010-1234-5678\", \"description\": \"제 모습 열람\", \"cameraIds\": [\"\(cameras[0])\"]}"))
            #expect(made.status == .created, "\(made.body.string)")
            let other = try made.content.decode(Subject.self).request.id
            let mine = try await client.sendRequest(.POST, "/api/provision/subjects", headers: operatorUser.headers, body: .text(
                "{\"subjectName\": \"김철수\", \"contact\": \"010-9876-5432\", \"description\": \"열람\", \"cameraIds\": [\"\(cameras[1])\"]}"))
            #expect(mine.status == .created, "\(mine.body.string)")
            for session in [operatorUser, officer] {
                let listed = try await client.sendRequest(.GET, "/api/provision/subjects", headers: session.headers).content.decode([Subject].self)
                #expect(listed.map(\.request.subjectName) == ["김철수"], "\(session.username) saw another district's subject")
            }
            #expect(try await client.sendRequest(.GET, "/api/provision/subjects", headers: admin.headers).content.decode([Subject].self).count == 2)
            let answer = try await client.sendRequest(.POST, "/api/provision/subjects/\(other)/answer", headers: officer.headers,
                                                      body: .text("{\"outcome\": \"refused\", \"note\": \"x\"}"))
            #expect(answer.status == .notFound, "\(answer.status) \(answer.body.string)")

            #expect(try await client.sendRequest(.GET, "/api/bells/presses", headers: operatorUser.headers).content.decode([Press].self).isEmpty)
            #expect(try await client.sendRequest(.GET, "/api/bells/presses", headers: admin.headers).content.decode([Press].self).map(\.alarmId) == [alarm.id])
        }
    }
}
