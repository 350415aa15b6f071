import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import SQLKit
import Testing

@Suite("Registry import")
struct RegistryImportTests {
    static func importFile(_ app: some ApplicationDatabase, _ path: String, dryRun: Bool = false, prune: Bool = false) async throws -> ImportReport {
        try await RegistryImporter(database: app.database).importFile(at: path, actor: "test", options: .init(dryRun: dryRun, prune: prune))
    }

    @Test(arguments: DatabaseKind.allCases)
    func gangnamRegistryImportsTo4387Cameras(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let report = try await Self.importFile(app, RepositoryPaths.gangnamRegistry.path)
            #expect(report.layout == .legacy13)
            #expect(report.encoding == .cp949)
            #expect(report.rowsRead == 1_699)
            #expect(report.badRowCount == 0)
            #expect(report.added == 1_699)
            #expect(report.sites == 1_699)
            #expect(report.cameras == 4_387)
            #expect(report.camerasByPurpose == ["crimePrevention": 3_473, "childProtection": 608, "trafficEnforcement": 217,
                                                "disasterWatch": 63, "facilityManagement": 16, "trafficInformation": 10])
            let counts = try await RegistryRepository(database: app.db).counts()
            #expect(counts.sites == 1_699 && counts.cameras == 4_387)
            let (sites, _) = try await RegistryRepository(database: app.db).loadAll()
            let first = try #require(sites.first { $0.record.roadAddress == "서울특별시 강남구 논현로115길 55 (논현동)" })
            #expect(first.record.agency == "서울특별시 강남구청")
            #expect(first.record.viewDirection == "360도전방면")
            #expect(first.record.retentionDays == "30")
            #expect(first.record.installYearMonth == "2002-11")
            #expect(first.record.phone == "02-3423-6963")
            #expect(first.record.dataDate == "2017-11-13")
            #expect(first.record.latitude == 37.50797 && first.record.longitude == 127.028573)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func reimportingTheSameFileChangesNothing(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            _ = try await Self.importFile(app, RepositoryPaths.gangnamRegistry.path)
            let before = try await RegistryRepository(database: app.db).loadAll()
            let again = try await Self.importFile(app, RepositoryPaths.gangnamRegistry.path)
            #expect(again.unchanged == 1_699 && again.added == 0 && again.changed == 0 && again.missing == 0)
            let after = try await RegistryRepository(database: app.db).loadAll()
            #expect(Set(after.sites) == Set(before.sites))
            #expect(Set(after.cameras) == Set(before.cameras))
        }
    }

    /// A current-layout file with good rows around every kind of bad one.
    static func mixedFile() -> (text: String, goodRows: Int, goodCameras: Int, bad: [Int: String]) {
        var rows = [RegistryFixtures.currentHeader]
        rows.append(RegistryFixtures.currentRow(number: 1))                                             // line 2
        rows.append(RegistryFixtures.currentRow(number: 2, roadAddress: "서울특별시 강남구 \"역삼로\", 1층\n(후문)"))  // lines 3–4
        rows.append(RegistryFixtures.currentRow(number: 3, latitude: ""))                               // line 5: no latitude
        rows.append(RegistryFixtures.currentRow(number: 4, cameras: "영"))                               // line 6: bad count
        rows.append(RegistryFixtures.currentRow(number: 5, latitude: "127.03", longitude: "37.51"))      // line 7: swapped
        rows.append(Array(RegistryFixtures.currentRow(number: 6).prefix(15)))                          // line 8: 15 fields
        rows.append(RegistryFixtures.currentRow(number: 7, purpose: "쓰레기단속", cameras: "3"))          // line 9
        rows.append(RegistryFixtures.currentRow(number: 1, latitude: "37.51"))                          // line 10: repeats 관리번호 of line 2 (kept, warned)
        rows.append(RegistryFixtures.currentRow(number: 8, purpose: "기타(공원)", direction: ""))         // line 11
        return (RegistryFixtures.csv(rows), 5, 2 + 2 + 3 + 2 + 2,
                [5: "latitude", 6: "camera count", 7: "swapped", 8: "has 15 fields"])
    }

    @Test(arguments: DatabaseKind.allCases, ["cp949", "utf8-bom-lf", "utf8-crlf"])
    func currentLayoutKeepsEveryGoodRowAndNamesEveryBadOne(kind: DatabaseKind, variant: String) async throws {
        let file = Self.mixedFile()
        let data: Data = switch variant {
        case "cp949": RegistryFixtures.cp949(file.text)
        case "utf8-bom-lf": Data([0xEF, 0xBB, 0xBF]) + Data(file.text.replacing("\r\n", with: "\n").utf8)
        default: Data(file.text.utf8)
        }
        let path = try RegistryFixtures.write(data)
        try await withCityWatch(kind) { app in
            let report = try await Self.importFile(app, path)
            #expect(report.layout == .current18)
            #expect(report.encoding == (variant == "cp949" ? .cp949 : .utf8))
            #expect(report.validRows == file.goodRows)
            #expect(report.cameras == file.goodCameras)
            #expect(report.badRowCount == file.bad.count)
            for (line, words) in file.bad {
                let row = report.badRows.first { $0.line == line }
                #expect(row?.reason.contains(words) == true, "line \(line): \(row?.reason ?? "not reported")")
            }
            #expect(report.warningCount == 1 && report.warnings.first?.line == 10)
            #expect(report.warnings.first?.reason.contains("repeats line 2") == true)
            let (sites, _) = try await RegistryRepository(database: app.db).loadAll()
            #expect(sites.filter { $0.record.managementNumber == "CCTV-00001" }.count == 2)
            let quoted = try #require(sites.first { $0.record.managementNumber == "CCTV-00002" })
            #expect(quoted.record.roadAddress == "서울특별시 강남구 \"역삼로\", 1층\n(후문)")
            let other = try #require(sites.first { $0.record.managementNumber == "CCTV-00008" })
            #expect(other.record.purpose == .other("기타(공원)"))
            #expect(report.camerasByPurpose["litterEnforcement"] == 3)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func newerFileUpdatesChangedRowsAndPruneRemovesMissingOnes(kind: DatabaseKind) async throws {
        let header = RegistryFixtures.currentHeader
        let first = RegistryFixtures.csv([header] + (1...10).map { RegistryFixtures.currentRow(number: $0) })
        var newer = (1...10).filter { $0 != 2 }.map { RegistryFixtures.currentRow(number: $0) }
        newer[0][6] = "4"                                        // site 1: 2 → 4 cameras
        newer[2][8] = "북측 방면"                                  // site 4: view direction changed
        newer[3][6] = "1"                                        // site 5: 2 → 1 camera
        newer.append(RegistryFixtures.currentRow(number: 11))
        let second = RegistryFixtures.csv([header] + newer)
        try await withCityWatch(kind) { app in
            _ = try await Self.importFile(app, try RegistryFixtures.write(Data(first.utf8)))
            let secondPath = try RegistryFixtures.write(Data(second.utf8))
            let dry = try await Self.importFile(app, secondPath, dryRun: true)
            #expect(dry.dryRun && dry.changed == 3 && dry.added == 1)
            #expect(try await RegistryRepository(database: app.db).counts().cameras == 20)
            let report = try await Self.importFile(app, secondPath)
            #expect(report.added == 1 && report.changed == 3 && report.unchanged == 6 && report.missing == 1 && report.pruned == 0)
            #expect(report.sites == 11 && report.cameras == 2 * 10 + 2 - 1 + 2)
            let (sites, cameras) = try await RegistryRepository(database: app.db).loadAll()
            let site1 = try #require(sites.first { $0.record.managementNumber == "CCTV-00001" })
            #expect(cameras.filter { $0.siteID == site1.id }.map(\.position).sorted() == [1, 2, 3, 4])
            let site5 = try #require(sites.first { $0.record.managementNumber == "CCTV-00005" })
            #expect(cameras.filter { $0.siteID == site5.id }.map(\.position) == [1])
            #expect(sites.first { $0.record.managementNumber == "CCTV-00004" }?.record.viewDirection == "북측 방면")
            let pruned = try await Self.importFile(app, secondPath, prune: true)
            #expect(pruned.pruned == 1 && pruned.sites == 10 && pruned.unchanged == 10)
            #expect(try await RegistryRepository(database: app.db).loadAll().sites.contains { $0.record.managementNumber == "CCTV-00002" } == false)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func dryRunWritesNothingAtAll(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let report = try await Self.importFile(app, RepositoryPaths.gangnamRegistry.path, dryRun: true)
            #expect(report.dryRun && report.added == 1_699 && report.cameras == 4_387)
            #expect(try await RegistryRepository(database: app.db).counts() == (0, 0))
            #expect(try await AuditLog(database: app.db).count() == 0)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func exportThenImportIntoAnEmptyStoreGivesTheSameRegistry(kind: DatabaseKind) async throws {
        let folder = try RepositoryPaths.temporaryFolder("export")
        defer { try? FileManager.default.removeItem(at: folder) }
        let exported = folder.appendingPathComponent("registry.csv").path
        let original = try await withCityWatch(kind) { app in
            _ = try await Self.importFile(app, RepositoryPaths.gangnamRegistry.path)
            _ = try await Self.importFile(app, try RegistryFixtures.write(Data(Self.mixedFile().text.utf8)))
            var text = ""
            try await RegistryExporter(database: app.db).export(.csv) { text += $0 }
            try Data(text.utf8).write(to: URL(fileURLWithPath: exported))
            return try await RegistryRepository(database: app.db).loadAll()
        }
        try await withCityWatch(kind) { app in
            let report = try await Self.importFile(app, exported)
            #expect(report.layout == .current18 && report.badRowCount == 0)
            let copy = try await RegistryRepository(database: app.db).loadAll()
            #expect(Set(copy.sites.map(\.registryKey)) == Set(original.sites.map(\.registryKey)))
            #expect(Set(copy.sites.map(\.record)) == Set(original.sites.map(\.record)))
            #expect(copy.cameras.count == original.cameras.count)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func filesThatAreNotRegistriesFailWithAReasonAndWriteNothing(kind: DatabaseKind) async throws {
        var random = SystemRandomNumberGenerator()
        let noise = Data((0..<50_000).map { _ in UInt8.random(in: 1...255, using: &random) })
        let cases: [(Data, String)] = [
            (Data(), "empty"),
            (Data([0xFF, 0xFE, 0x41, 0x00, 0x42, 0x00]), "UTF-16"),
            (Data("이름,값\n홍길동,1\n".utf8), "not a CCTV registry header"),
            (noise, "header"),
            (Data([0x41, 0x00, 0x42]), "binary"),
        ]
        try await withCityWatch(kind) { app in
            for (data, words) in cases {
                let path = try RegistryFixtures.write(data)
                await #expect(throws: RegistryImporter.Failure.self) { try await Self.importFile(app, path) }
                do { _ = try await Self.importFile(app, path) } catch let failure as RegistryImporter.Failure {
                    #expect(failure.description.contains(words), "\(failure)")
                }
            }
            await #expect(throws: RegistryImporter.Failure.unreadable(path: "/nonexistent/x.csv", reason: "no such file")) {
                try await Self.importFile(app, "/nonexistent/x.csv")
            }
            #expect(try await RegistryRepository(database: app.db).counts() == (0, 0))
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func truncatedFileAndHugeFieldLoseOnlyTheirOwnRows(kind: DatabaseKind) async throws {
        var rows = [RegistryFixtures.currentHeader] + (1...30).map { RegistryFixtures.currentRow(number: $0) }
        rows[10][3] = String(repeating: "가", count: 4_000_000)  // a 12 MB address on line 11
        var text = RegistryFixtures.csv(rows)
        text.removeLast(40)  // cut the last row short
        try await withCityWatch(kind) { app in
            let report = try await Self.importFile(app, try RegistryFixtures.write(Data(text.utf8)))
            #expect(report.validRows == 28)
            #expect(report.badRows.map(\.line) == [11, 31])
            #expect(report.badRows.first?.reason.contains("longer than") == true)
        }
    }

    @Test func mangledFilesNeverCrashAndAccountForEveryRow() async throws {
        let base = Array(RegistryFixtures.cp949(Self.mixedFile().text))
        var random = SystemRandomNumberGenerator()
        try await withCityWatch(.sqlite) { app in
            for _ in 0..<60 {
                var bytes = base
                for _ in 0..<Int.random(in: 1...12, using: &random) {
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0...2, using: &random) {
                    case 0: bytes[at] = UInt8.random(in: 1...255, using: &random)
                    case 1: bytes.insert(Array("\",\r\n".utf8).randomElement(using: &random)!, at: at)
                    default: bytes.remove(at: at)
                    }
                }
                let path = try RegistryFixtures.write(Data(bytes))
                do {
                    let report = try await Self.importFile(app, path, dryRun: true)
                    #expect(report.rowsRead == report.validRows + report.badRowCount)
                } catch is RegistryImporter.Failure {
                    // A mangled header is refused as a whole: fine.
                }
            }
        }
    }
}

/// Anything that hands out the database (the Vapor application in these tests).
protocol ApplicationDatabase {
    var database: any Database { get }
}
