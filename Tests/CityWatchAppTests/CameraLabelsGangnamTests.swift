import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import Testing

/// The labels of Gangnam's real registry, as the console shows them: every address there
/// starts "서울특별시 강남구", eight rows share 봉은사로 524 and six 헌릉로757길 61.
@Suite("Camera labels of the Gangnam registry")
struct CameraLabelsGangnamTests {
    @Test func everyCameraOfGangnamHasItsOwnShortLabel() async throws {
        try await withCityWatch(.sqlite) { app in
            _ = try await RegistryImporter(database: app.db).importFile(at: RepositoryPaths.gangnamRegistry.path, actor: "test")
            let snapshot = try await CameraDirectory().snapshot(on: app.db)
            let labels = snapshot.cameras.map(snapshot.label(of:))
            #expect(labels.count == 4_387)
            #expect(Set(labels).count == labels.count, "labels shared: \(Dictionary(grouping: labels) { $0 }.filter { $1.count > 1 }.keys.prefix(5))")
            let withDistrict = labels.filter { $0.contains("서울특별시") }
            #expect(withDistrict.isEmpty, "labels naming the city: \(withDistrict.prefix(5))")
            // Most sites' labels fit a wall tile; what a tile cuts off is the detail, not the road and number.
            let siteLabels = snapshot.sites.values.map(snapshot.label(of:))
            let long = siteLabels.filter { $0.count > 28 }
            #expect(long.count < siteLabels.count / 20, "\(long.count) site labels over 28 characters, e.g. \(long.prefix(3))")

            let coex = try #require(snapshot.sites.values.first { $0.record.lotAddress.hasSuffix("(코엑스 주변)") })
            #expect(snapshot.label(of: coex) == "코엑스 주변 · 봉은사로 524")
            let pumpStation = snapshot.sites.values.filter { $0.record.roadAddress == "서울특별시 강남구 헌릉로757길 61" }
            #expect(pumpStation.count == 6)
            #expect(Set(pumpStation.map(snapshot.label(of:))).count == 6)
            #expect(pumpStation.allSatisfy { snapshot.label(of: $0).hasPrefix("율현빗물펌프장") })
            // A pole with several cameras: the same place, told apart by the number on the pole.
            let pole = try #require(snapshot.sites.values.first { $0.record.cameraCount == 5 })
            let onPole = snapshot.cameras.filter { $0.siteID == pole.id }.map(snapshot.label(of:))
            #expect(onPole == (1...5).map { "\(snapshot.label(of: pole)) · 카메라 \($0)/5" })
        }
    }
}
