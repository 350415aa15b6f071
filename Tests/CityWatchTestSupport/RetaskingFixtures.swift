import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import Foundation
import Vapor

extension Application {
    /// Imports one parking-enforcement (교통단속) camera and one crime-prevention (생활방범)
    /// camera, each on a site of its own, and returns their ids.
    public func makeParkingAndCrimeCameras() async throws -> (parking: UUID, crime: UUID) {
        let rows = [
            RegistryFixtures.currentRow(number: 1, purpose: "교통단속", cameras: "1", roadAddress: "parking street 1"),
            RegistryFixtures.currentRow(number: 2, purpose: "생활방범", cameras: "1", roadAddress: "crime street 2"),
        ]
        let path = try RegistryFixtures.write(Data(RegistryFixtures.csv([RegistryFixtures.currentHeader] + rows).utf8))
        _ = try await RegistryImporter(database: db).importFile(at: path, actor: "test")
        let (sites, cameras) = try await RegistryRepository(database: db).loadAll()
        let siteOf = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, $0.record.roadAddress) })
        guard let parking = cameras.first(where: { siteOf[$0.siteID] == "parking street 1" })?.id,
              let crime = cameras.first(where: { siteOf[$0.siteID] == "crime street 2" })?.id
        else { throw Abort(.internalServerError, reason: "the fixture cameras were not imported") }
        return (parking, crime)
    }
}
