import CityWatchDomain
import CityWatchStore
import Foundation

extension DemoDistrict {
    /// A safety bell at the gate of each demo school, 15 m in front of its camera, so a press
    /// (`citywatch bells press DEMO-BELL-01`) brings that camera up on the wall. They have no
    /// 관리번호, so they are keyed by their number, as they were before bells were keyed by it.
    static var bells: [BellRecord] {
        places.filter { $0.purpose == "어린이보호" }.enumerated().map { index, place in
            var record = BellRecord()
            record.managementNumber = "DEMO-BELL-\(String(format: "%02d", index + 1))"
            record.purpose = "방범용"
            record.placeType = "학교"
            record.location = "\(place.name) 정문"
            record.roadAddress = place.address
            record.latitude = place.latitude + 15 / 111_320
            record.longitude = place.longitude
            record.linkMethod = "관제센터"
            record.policeLinked = "Y"
            record.agency = "CityWatch demo"
            return record
        }
    }

    /// Stores the demo bells and gives each a press secret (kept sealed; the `bells press`
    /// command reads it from the store). Returns their keys.
    public func prepareBells(sealer: CredentialSealer) async throws -> [String] {
        let records = Self.bells
        _ = try await BellRepository(database: database).upsert(records, now: Date())
        let service = BellPressService(database: database, center: AlarmCenter(), sealer: sealer)
        let repository = BellPressRepository(database: database)
        for record in records {
            guard let bell = try await repository.bell(record.key), try await repository.sealedSecret(bell: bell.id) == nil else { continue }
            _ = try await service.issueSecret(bell: record.key, by: "demo")
        }
        return records.map(\.key)
    }
}
