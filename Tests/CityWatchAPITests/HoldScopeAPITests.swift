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

/// Legal holds are bounded by camera groups for listing and releasing as for creating: a
/// privacy officer of one district's cameras neither sees nor releases a hold on another's
/// (after which retention could have deleted the footage).
@Suite("Legal holds within the user's cameras")
struct HoldScopeAPITests {
    struct Hold: Decodable {
        var id: UUID
        var cameraId: UUID
    }

    @Test(arguments: DatabaseKind.allCases)
    func aPrivacyOfficerListsAndReleasesOnlyHoldsOnTheirOwnCameras(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let cameras = try await app.makeCameras(2)
            let admin = try await app.signIn(as: .administrator)
            let client = try app.testing()
            let group = try await client.sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                     body: .text("{\"name\": \"mine\", \"rule\": {\"cameraIds\": [\"\(cameras[1])\"]}}"))
            struct IDOnly: Decodable { var id: UUID }
            let officer = try await app.signIn(as: .privacyOfficer, groups: [try group.content.decode(IDOnly.self).id])
            let formatter = ISO8601DateFormatter()
            var holds: [UUID] = []
            for camera in cameras {
                let created = try await client.sendRequest(.POST, "/api/holds", headers: admin.headers, body: .text(
                    "{\"cameraId\": \"\(camera)\", \"from\": \"\(formatter.string(from: Date().addingTimeInterval(-7_200)))\", \"to\": \"\(formatter.string(from: Date()))\", \"reason\": \"수사 협조 2026-77\"}"))
                #expect(created.status == .created, "\(created.body.string)")
                holds.append(try created.content.decode(Hold.self).id)
            }
            let listed = try await client.sendRequest(.GET, "/api/holds", headers: officer.headers).content.decode([Hold].self)
            #expect(listed.map(\.cameraId) == [cameras[1]], "another camera's hold was listed")
            #expect(try await client.sendRequest(.DELETE, "/api/holds/\(holds[0])", headers: officer.headers).status == .notFound)
            #expect(try await RecordingRepository(database: app.db).activeHolds().count == 2, "a hold outside the officer's cameras was released")
            #expect(try await client.sendRequest(.DELETE, "/api/holds/\(holds[1])", headers: officer.headers).status == .noContent)
            #expect(try await RecordingRepository(database: app.db).activeHolds().map(\.cameraID) == [cameras[0]])
            #expect(try await client.sendRequest(.GET, "/api/holds", headers: admin.headers).content.decode([Hold].self).count == 1)
        }
    }
}
