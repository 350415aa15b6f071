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

@Suite("Camera API")
struct CameraAPITests {
    struct Page: Decodable {
        struct Item: Decodable {
            var id: UUID
            var purpose: String
            var lat: Double
            var lon: Double
            var distanceMetres: Double?
            var roadAddress: String
            var enabled: Bool
        }

        var items: [Item]
        var total: Int
        var offset: Int
        var limit: Int
    }

    struct Sites: Decodable {
        struct Site: Decodable {
            var purpose: String
            var cameraCount: Int
        }

        var sites: [Site]
        var total: Int
    }

    static func importGangnam(_ app: Application) async throws {
        _ = try await RegistryImporter(database: app.db).importFile(at: RepositoryPaths.gangnamRegistry.path, actor: "test")
    }

    static func page(_ app: Application, _ session: TestSession, _ query: String) async throws -> Page {
        let response = try await app.testing().sendRequest(.GET, "/api/cameras?\(query)", headers: session.headers)
        #expect(response.status == .ok, "\(query): \(response.body.string)")
        return try response.content.decode(Page.self)
    }

    @Test(arguments: DatabaseKind.allCases)
    func geoQueriesAgreeWithABruteForceOverTheRegistry(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            try await Self.importGangnam(app)
            let admin = try await app.signIn(as: .administrator)
            let (sites, cameras) = try await RegistryRepository(database: app.db).loadAll()
            let location = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, $0.record.location) })
            let gangnamStation = GeoPoint(latitude: 37.497942, longitude: 127.027621)
            let expected = cameras.filter { location[$0.siteID]!.distance(to: gangnamStation) <= 500 }
            let near = try await Self.page(app, admin, "near=37.497942,127.027621&radius=500&limit=1000")
            #expect(near.total == expected.count && near.total > 0)
            #expect(Set(near.items.map(\.id)) == Set(expected.map(\.id)))
            #expect(near.items.map { $0.distanceMetres! } == near.items.map { $0.distanceMetres! }.sorted())

            let nearest = try await Self.page(app, admin, "near=37.497942,127.027621&k=7")
            #expect(nearest.items.count == 7)
            let sevenClosest = cameras.map { location[$0.siteID]!.distance(to: gangnamStation) }.sorted().prefix(7)
            #expect(zip(nearest.items.map { $0.distanceMetres! }, sevenClosest).allSatisfy { abs($0 - $1) < 0.1 })

            let box = try GeoBoundingBox(south: 37.50, west: 127.03, north: 37.51, east: 127.05)
            let inBox = try await Self.page(app, admin, "bbox=37.50,127.03,37.51,127.05&limit=1000")
            #expect(inBox.total == cameras.filter { box.contains(location[$0.siteID]!) }.count)

            let everything = try await Self.page(app, admin, "limit=1000&offset=4000")
            #expect(everything.total == 4_387 && everything.items.count == 387)
            let schools = try await Self.page(app, admin, "purpose=childProtection&limit=1")
            #expect(schools.total == 608)
            let twoPurposes = try await Self.page(app, admin, "purpose=childProtection,disasterWatch&limit=1")
            #expect(twoPurposes.total == 608 + 63)
            let text = try await Self.page(app, admin, "q=논현로115길&limit=1000")
            #expect(text.total > 0 && text.items.allSatisfy { $0.roadAddress.contains("논현로115길") })
        }
    }

    @Test(arguments: [
        ("near=37.5", "near"), ("near=91,127&radius=5", "near"), ("near=37.5,127", "radius=METRES or k"),
        ("radius=500", "need near"), ("near=37.5,127&radius=0", "radius"), ("near=37.5,127&radius=1e9", "radius"),
        ("near=37.5,127&k=0", "k"), ("bbox=1,2,3", "four numbers"), ("bbox=38,127,37,128", "not a box"),
        ("near=37.5,127&radius=5&bbox=37,127,38,128", "not several"), ("purpose=cats", "unknown purpose"),
        ("limit=5000", "limit"), ("offset=-1", "offset"), ("radius=abc&near=37.5,127", "not a number"),
    ])
    func badQueriesAnswer400NamingTheParameter(query: String, words: String) async throws {
        try await withCityWatch(.sqlite) { app in
            let admin = try await app.signIn(as: .administrator)
            let response = try await app.testing().sendRequest(.GET, "/api/cameras?\(query)", headers: admin.headers)
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains(words), "\(query): \(response.body.string)")
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func usersSeeOnlyTheCamerasOfTheirGroups(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            try await Self.importGangnam(app)
            let admin = try await app.signIn(as: .administrator)
            let created = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers, body: .text("""
                {"name": "학교 Schools", "description": "school officer", "rule": {"purposes": ["childProtection"]}}
                """))
            #expect(created.status == .created)
            let group = try created.content.decode(GroupRow.self)
            #expect(group.cameraCount == 608)
            let officer = try await app.signIn(as: .police, groups: [group.id])
            let nobody = try await app.signIn(as: .operator)

            let seen = try await Self.page(app, officer, "limit=1000")
            #expect(seen.total == 608 && seen.items.allSatisfy { $0.purpose == "childProtection" })
            let sites = try await app.testing().sendRequest(.GET, "/api/sites", headers: officer.headers).content.decode(Sites.self)
            var gzipHeaders = officer.headers
            gzipHeaders.add(name: .acceptEncoding, value: "gzip, deflate")
            let compressed = try await app.testing().sendRequest(.GET, "/api/sites", headers: gzipHeaders)
            #expect(compressed.headers.first(name: .contentEncoding) == "gzip")
            #expect(Array(compressed.body.readableBytesView.prefix(2)) == [0x1F, 0x8B])
            let adminSites = try await app.testing().sendRequest(.GET, "/api/sites", headers: admin.headers).content.decode(Sites.self)
            #expect(adminSites.total == 1_699 && sites.total < adminSites.total)
            #expect(sites.sites.allSatisfy { $0.purpose == "childProtection" })
            #expect(sites.sites.reduce(0) { $0 + $1.cameraCount } == 608)
            #expect(try await Self.page(app, nobody, "").total == 0)
            #expect(try await Self.page(app, officer, "near=37.497942,127.027621&k=5").items.allSatisfy { $0.purpose == "childProtection" })

            let hidden = try await Self.page(app, admin, "purpose=crimePrevention&limit=1").items[0].id
            #expect(try await app.testing().sendRequest(.GET, "/api/cameras/\(hidden)", headers: officer.headers).status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/api/cameras/\(hidden)", headers: admin.headers).status == .ok)
            let visible = seen.items[0].id
            #expect(try await app.testing().sendRequest(.GET, "/api/cameras/\(visible)", headers: officer.headers).status == .ok)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func administratorDisablesACameraAndTheChangeIsAudited(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            try await Self.importGangnam(app)
            let admin = try await app.signIn(as: .administrator)
            let camera = try await Self.page(app, admin, "limit=1").items[0]
            let response = try await app.testing().sendRequest(.PATCH, "/api/cameras/\(camera.id)", headers: admin.headers,
                                                               body: .text("{\"enabled\": false, \"name\": \"정문 Main gate\"}"))
            #expect(response.status == .ok)
            let after = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera.id)", headers: admin.headers).content.decode(Page.Item.self)
            #expect(after.enabled == false)
            let entries = try await AuditLog(database: app.db).list(.init(action: "camera.update"))
            #expect(entries.count == 1 && entries[0].target == camera.id.uuidString && entries[0].actor == admin.username)
            let typo = try await app.testing().sendRequest(.PATCH, "/api/cameras/\(camera.id)", headers: admin.headers, body: .text("{\"enable\": true}"))
            #expect(typo.status == .badRequest && typo.body.string.contains("unknown field 'enable'"))
        }
    }

    struct GroupRow: Decodable {
        var id: UUID
        var cameraCount: Int
    }
}
