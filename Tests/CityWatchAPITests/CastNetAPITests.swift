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

/// `POST /api/castnet` over the registry's cameras and Gangnam's real road network: the plan
/// the domain code makes, for the cameras the user may see, refused clearly when asked wrongly,
/// and audit-logged.
@Suite("Cast-net API")
struct CastNetAPITests {
    struct Answer: Decodable {
        struct Pick: Decodable {
            var cameraID: String
            var rank: Int
            var distance: Double
            var ring: String?
            var arrivalSeconds: Double?
        }

        struct Plan: Decodable {
            var cameras: [Pick]
            var reachedRoads: [AnyDecodable]
            var notes: [Note]
        }

        struct Note: Decodable {
            var kind: String
        }

        var plan: Plan
        var labels: [String: String]
    }

    /// Any JSON value, counted but not read.
    struct AnyDecodable: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    @Test func theNetAroundAPlaceHoldsTheCamerasTheUserMaySeeAndGrowsWithTime() async throws {
        try #require(FileManager.default.fileExists(atPath: RepositoryPaths.gangnamRoadNetwork.path), "needs ../shared/data/gangnam.net.xml")
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(40)
            try #require(app.cityWatch.configuration.roadNetwork != nil, "the default road network is ../shared/data/gangnam.net.xml")
            let snapshot = try await app.cityWatch.directory.snapshot(on: app.db)
            // A point in the middle of the test cameras (they stand around 37.49–37.53 N, 127.02–127.06 E).
            let body = { (minutes: Int) in
                "{\"latitude\": 37.4985, \"longitude\": 127.0310, \"incidentTime\": \"2026-11-26T03:00:00Z\", "
                    + "\"now\": \"2026-11-26T03:\(String(format: "%02d", minutes)):00Z\"}"
            }
            let session = try await app.signIn(as: .administrator)
            let early = try await app.testing().sendRequest(.POST, "/api/castnet", headers: session.headers, body: .text(body(1)))
            #expect(early.status == .ok, "\(early.body.string)")
            let first = try JSONDecoder().decode(Answer.self, from: Data(early.body.readableBytesView))
            let later = try JSONDecoder().decode(Answer.self, from: Data(
                try await app.testing().sendRequest(.POST, "/api/castnet", headers: session.headers, body: .text(body(10))).body.readableBytesView))
            // Rings: exactly the cameras within 1 km, nearest bands first, ranks 1, 2, 3 ….
            let centre = GeoPoint(latitude: 37.4985, longitude: 127.0310)
            let withinOuter = snapshot.cameras.indices.filter { snapshot.siteOfCamera[$0].record.location.distance(to: centre) <= 1_000 }
            #expect(first.plan.cameras.filter { $0.ring != nil }.count == withinOuter.count)
            #expect(first.plan.cameras.map(\.rank) == Array(1...first.plan.cameras.count))
            #expect(Set(first.plan.cameras.map(\.cameraID)).isSubset(of: Set(cameras.map(\.uuidString))))
            #expect(first.plan.cameras.allSatisfy { first.labels[$0.cameraID] != nil }, "every camera comes with its label")
            // Escape routes on the real network: more roads reached after 10 minutes than after 1.
            #expect(!first.plan.reachedRoads.isEmpty && later.plan.reachedRoads.count > first.plan.reachedRoads.count)
            #expect(!first.plan.notes.contains { $0.kind == "noRoadNetwork" })
            // An operator gets only the cameras of their groups (here none), roads all the same.
            let operatorSession = try await app.signIn(as: .operator)
            let scoped = try JSONDecoder().decode(Answer.self, from: Data(
                try await app.testing().sendRequest(.POST, "/api/castnet", headers: operatorSession.headers, body: .text(body(1))).body.readableBytesView))
            #expect(scoped.plan.cameras.isEmpty && scoped.plan.reachedRoads.count == first.plan.reachedRoads.count)
            let audited = try await AuditLog(database: app.db).list(.init(action: "castnet"))
            #expect(audited.count == 3 && Set(audited.map(\.actor)) == [session.username, operatorSession.username])
        }
    }

    @Test func badRequestsAreRefusedNamingTheFieldAndStrangersAreNotLetIn() async throws {
        try await withCityWatch(.sqlite) { app in
            _ = try await app.makeCameras(3)
            let admin = try await app.signIn(as: .administrator)
            for (body, field) in [
                ("{\"latitude\": 95, \"longitude\": 127}", "latitude"),
                ("{\"latitude\": 37.5, \"longitude\": 127, \"radius\": 2}", "radius"),
                ("{\"latitude\": 37.5, \"longitude\": 127, \"radius\": 800, \"outerRadius\": 500}", "outerRadius"),
                ("{\"latitude\": 37.5, \"longitude\": 127, \"incidentTime\": \"yesterday\"}", "incidentTime"),
                ("{\"latitude\": 37.5, \"longitude\": 127, \"incidentTime\": \"2020-01-01T00:00:00Z\"}", "incidentTime"),
                ("{\"latitude\": 37.5, \"longitude\": 127, \"radius\": 600, \"colour\": \"red\"}", "colour"),
                ("{\"longitude\": 127}", "latitude"),
            ] {
                let response = try await app.testing().sendRequest(.POST, "/api/castnet", headers: admin.headers, body: .text(body))
                #expect(response.status == .badRequest && response.body.string.contains(field), "\(body): \(response.status) \(response.body.string)")
            }
            let stranger = try await app.testing().sendRequest(.POST, "/api/castnet", headers: ["Content-Type": "application/json"],
                                                               body: .text("{\"latitude\": 37.5, \"longitude\": 127}"))
            #expect(stranger.status == .unauthorized)
            let maintenance = try await app.signIn(as: .maintenance)
            let refused = try await app.testing().sendRequest(.POST, "/api/castnet", headers: maintenance.headers,
                                                              body: .text("{\"latitude\": 37.5, \"longitude\": 127}"))
            #expect(refused.status == .forbidden)
        }
    }
}
