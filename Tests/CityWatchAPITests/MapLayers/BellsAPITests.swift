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

/// `GET /api/bells` and the view directions in `GET /api/sites`: what the map's bell layer and
/// camera wedges draw, on both stores.
@Suite("Bells and view directions for the map")
struct BellsAPITests {
    struct BellList: Decodable {
        struct Bell: Decodable {
            struct Camera: Decodable {
                var id: UUID
                var address: String
                var distance: Double
            }

            var managementNumber: String
            var place: String
            var address: String
            var lat: Double
            var lon: Double
            var cameras: [Camera]
        }

        var bells: [Bell]
        var total: Int
    }

    struct SiteList: Decodable {
        struct Site: Decodable {
            var roadAddress: String
            var viewBearing: Double?
            var viewWidth: Double?
        }

        var sites: [Site]
    }

    static func bellRow(_ number: String, latitude: String, longitude: String, location: String) -> [String] {
        [number, "방범용", "공원", location, "서울특별시 강남구 테헤란로 1", "서울특별시 강남구 역삼동 1-1", latitude, longitude, "유선", "Y", "N", "N",
         "CCTV연동", "2019", "20240301", "정상", "서울특별시 강남구청", "02-3423-0000", "20240630", ""]
    }

    @Test(arguments: DatabaseKind.allCases)
    func bellsComeWithTheCamerasThatSeeThemKeptToTheUsersCameras(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            // Around a bell at 37.5000, 127.0300: 30 m north looking south (sees it), 30 m south
            // looking south (does not), an all-round dome 60 m east (sees it).
            let registry = RegistryFixtures.csv([RegistryFixtures.currentHeader,
                RegistryFixtures.currentRow(number: 1, cameras: "1", latitude: "37.500270", longitude: "127.030000", roadAddress: "north pole", direction: "남측"),
                RegistryFixtures.currentRow(number: 2, cameras: "1", latitude: "37.499730", longitude: "127.030000", roadAddress: "south pole", direction: "남측"),
                RegistryFixtures.currentRow(number: 3, cameras: "1", latitude: "37.500000", longitude: "127.030680", roadAddress: "east dome"),
            ])
            _ = try await RegistryImporter(database: app.db).importFile(at: try RegistryFixtures.write(Data(registry.utf8)), actor: "test")
            let bells = RegistryFixtures.csv([BellColumn.allCases.map(\.standardName),
                                              Self.bellRow("B-001", latitude: "37.500000", longitude: "127.030000", location: "가로등 기둥"),
                                              Self.bellRow("B-002", latitude: "37.510000", longitude: "127.050000", location: "화장실 입구")])
            _ = try await BellImporter(database: app.db).importFile(at: try RegistryFixtures.write(Data(bells.utf8), name: "bells.csv"), actor: "test")

            let admin = try await app.signIn(as: .administrator)
            let response = try await app.testing().sendRequest(.GET, "/api/bells", headers: admin.headers)
            #expect(response.status == .ok, "\(response.body.string)")
            let list = try JSONDecoder().decode(BellList.self, from: Data(response.body.readableBytesView))
            #expect(list.total == 2 && list.bells.map(\.managementNumber) == ["B-001", "B-002"])
            let near = try #require(list.bells.first)
            #expect(near.place == "가로등 기둥" && near.address == "서울특별시 강남구 테헤란로 1")
            #expect(abs(near.lat - 37.5) < 1e-9 && abs(near.lon - 127.03) < 1e-9)
            #expect(near.cameras.map(\.address) == ["north pole", "east dome"])
            #expect(abs(near.cameras[0].distance - 30) < 1)
            let cameraIDs = Set(try await RegistryRepository(database: app.db).loadAll().cameras.map(\.id))
            #expect(near.cameras.allSatisfy { cameraIDs.contains($0.id) })
            #expect(list.bells[1].cameras.isEmpty)

            // An operator of no group sees the bells, but no camera.
            let operatorSession = try await app.signIn(as: .operator)
            let scoped = try JSONDecoder().decode(BellList.self, from: Data(
                try await app.testing().sendRequest(.GET, "/api/bells", headers: operatorSession.headers).body.readableBytesView))
            #expect(scoped.total == 2 && scoped.bells.allSatisfy(\.cameras.isEmpty))
            #expect(try await app.testing().sendRequest(.GET, "/api/bells").status == .unauthorized)

            // The sites answer carries the view the wedges are drawn from: south for the
            // "남측" poles, nothing for the all-round dome.
            let sites = try JSONDecoder().decode(SiteList.self, from: Data(
                try await app.testing().sendRequest(.GET, "/api/sites", headers: admin.headers).body.readableBytesView))
            let byAddress = Dictionary(uniqueKeysWithValues: sites.sites.map { ($0.roadAddress, $0) })
            #expect(byAddress["north pole"]?.viewBearing == 180 && byAddress["north pole"]?.viewWidth == CameraView.typicalFieldOfView)
            #expect(byAddress["east dome"]?.viewBearing == nil && byAddress["east dome"]?.viewWidth == nil)
        }
    }

    @Test func noBellsIsAnEmptyList() async throws {
        try await withCityWatch(.sqlite) { app in
            let session = try await app.signIn(as: .maintenance)
            let list = try JSONDecoder().decode(BellList.self, from: Data(
                try await app.testing().sendRequest(.GET, "/api/bells", headers: session.headers).body.readableBytesView))
            #expect(list.total == 0 && list.bells.isEmpty)
        }
    }
}
