import CityWatchApp
import CityWatchDomain
import CityWatchTestSupport
import Foundation
import Testing

/// The labels of Gangnam's real registry, as the console shows them: every address there
/// starts "서울특별시 강남구", eight rows share 봉은사로 524 and six 헌릉로757길 61.
@Suite("Camera labels of the Gangnam registry")
struct CameraLabelsGangnamTests {
    /// The registry read with the importer's own parser (no database: labels are pure), one
    /// camera per 카메라대수.
    static let snapshot: CameraDirectory.Snapshot = {
        let bytes = try! [UInt8](Data(contentsOf: RepositoryPaths.gangnamRegistry))
        let encoding = try! RegistryTextEncoding.sniff(bytes.prefix(4_096)).0
        var rows: [[String]] = []
        var tokenizer = CSVTokenizer()
        let keep: (CSVTokenizer.Event) -> Void = { event in
            if case .record(let record) = event { rows.append((0..<record.count).map { encoding.decode(record.field($0)) ?? "" }) }
        }
        tokenizer.feed(bytes, keep)
        tokenizer.finish(keep)
        let parser = RegistryRowParser(layout: try! RegistryLayout(header: rows[0]))
        var sites: [Site] = [], cameras: [Camera] = []
        for (line, fields) in rows.dropFirst().enumerated() {
            guard case .success(let record) = parser.parse(fields) else { continue }
            let site = Site(id: UUID(), registryKey: String(format: "%05d", line), record: record)
            sites.append(site)
            cameras += (1...record.cameraCount).map { Camera(id: UUID(), siteID: site.id, position: $0) }
        }
        return CameraDirectory.Snapshot(version: nil, sites: sites, cameras: cameras)
    }()

    @Test func everyCameraOfGangnamHasItsOwnShortLabel() throws {
        let snapshot = Self.snapshot
        let labels = snapshot.cameras.map(snapshot.label(of:))
        #expect(snapshot.sites.count == 1_699 && labels.count == 4_387)
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
