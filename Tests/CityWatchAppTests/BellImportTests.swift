import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing

@Suite("Emergency bell import and linking")
struct BellImportTests {
    /// The standard header with one column the registry does not keep, at the end.
    static let header = BellColumn.allCases.map(\.standardName) + ["제공기관명"]

    /// A row of ``header``; `rowKey` is its 관리번호 (empty: the bell is keyed by `number`).
    static func row(_ number: String, rowKey: String = "", latitude: String = "37.500000", longitude: String = "127.030000",
                    placeType: String = "공원", location: String = "가로등 기둥", road: String = "서울특별시 강남구 테헤란로 1") -> [String] {
        [number, "방범용", placeType, location, road, "서울특별시 강남구 역삼동 1-1", latitude, longitude, "유선", "Y", "N", "N",
         "CCTV연동", "2019", "20240301", "정상", "서울특별시 강남구청", "02-3423-0000", "20240630", rowKey, "서울특별시 강남구"]
    }

    /// Good rows around every kind of bad one; line numbers in the comments.
    static func firstFile() -> Data {
        RegistryFixtures.cp949(RegistryFixtures.csv([
            header,
            row("B-001", location: "정문 앞\r\n\"안심\" 가로등"),        // lines 2–3: a quoted field across two lines
            row("B-002", latitude: "37.500900"),                       // line 4
            row("B-003", latitude: ""),                                // line 5: no latitude
            row("B-004", latitude: "127.03", longitude: "37.5"),       // line 6: swapped
            row("B-001", placeType: "도로"),                            // line 7: repeats line 2
            row(""),                                                   // line 8: no management number
            Array(row("B-005").prefix(17)),                            // line 9: 17 fields
            row("B-006", road: "서울특별시 강남구 역삼로, 2층"),            // line 10
            row("B-007", latitude: "35.68", longitude: "139.76"),      // line 11: Tokyo
        ]))
    }

    @Test(arguments: DatabaseKind.allCases)
    func cp949FileKeepsGoodRowsReportsBadOnesAndReimportUpdatesByManagementNumber(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let importer = BellImporter(database: app.db)
            let report = try await importer.importFile(at: try RegistryFixtures.write(Self.firstFile(), name: "bells.csv"), actor: "test")
            #expect(report.encoding == .cp949)
            #expect(report.ignoredColumns == ["제공기관명"])
            #expect(report.rowsRead == 9 && report.validRows == 3 && report.added == 3 && report.bells == 3)
            let reasons = Dictionary(uniqueKeysWithValues: report.badRows.map { ($0.line, $0.reason) })
            #expect(reasons.keys.sorted() == [5, 6, 7, 8, 9, 11])
            #expect(reasons[5]?.contains("latitude) is empty") == true)
            #expect(reasons[6]?.contains("swapped") == true)
            #expect(reasons[7]?.contains("repeats the key of line 2") == true)
            #expect(reasons[8]?.contains("management number") == true)
            #expect(reasons[9]?.contains("17 fields") == true)
            #expect(reasons[11]?.contains("outside South Korea") == true)

            let stored = try await BellRepository(database: app.db).all()
            #expect(stored.map(\.record.managementNumber) == ["B-001", "B-002", "B-006"])
            #expect(stored[0].record.location == "정문 앞\n\"안심\" 가로등")
            #expect(stored[0].record.placeType == "공원", "the repeated row must not overwrite the first")
            #expect(stored[2].record.roadAddress == "서울특별시 강남구 역삼로, 2층")
            let ids = Dictionary(uniqueKeysWithValues: stored.map { ($0.record.managementNumber, $0.id) })

            // A newer UTF-8 file with a BOM and LF line ends: one changed, one the same, one new.
            let second = RegistryFixtures.csv([Self.header, Self.row("B-001", placeType: "도로"), Self.row("B-002", latitude: "37.500900"),
                                               Self.row("B-008")], lineEnd: "\n")
            let again = try await importer.importFile(
                at: try RegistryFixtures.write(Data([0xEF, 0xBB, 0xBF]) + Data(second.utf8), name: "bells.csv"), actor: "test")
            #expect(again.encoding == .utf8 && again.badRowCount == 0)
            #expect(again.added == 1 && again.changed == 1 && again.unchanged == 1 && again.bells == 4)
            let after = try await BellRepository(database: app.db).all()
            let b001 = try #require(after.first { $0.record.managementNumber == "B-001" })
            #expect(b001.id == ids["B-001"] && b001.record.placeType == "도로")
            #expect(after.first { $0.record.managementNumber == "B-002" }?.id == ids["B-002"])
        }
    }

    /// A city's file: installers number their own bells, so 안전비상벨관리번호 repeats (here 3 of 5
    /// rows, as 40 % of a real city's rows did); 관리번호 is unique. Every bell is imported, keyed
    /// by 관리번호, and the repeats are warnings naming the first line.
    @Test(arguments: DatabaseKind.allCases)
    func cityFileWithRepeatedInstallerNumbersImportsEveryBellKeyedByRowKey(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let rows = [Self.row("001", rowKey: "3220000-0001"), Self.row("001", rowKey: "3220000-0002", latitude: "37.501000"),
                        Self.row("002", rowKey: "3220000-0003"), Self.row("001", rowKey: "3220000-0004", latitude: "37.502000"),
                        Self.row("002", rowKey: "3220000-0005", latitude: "37.503000")]
            let path = try RegistryFixtures.write(RegistryFixtures.cp949(RegistryFixtures.csv([Self.header] + rows)), name: "bells.csv")
            let importer = BellImporter(database: app.db)
            let report = try await importer.importFile(at: path, actor: "test")
            #expect(report.rowsRead == 5 && report.validRows == 5 && report.badRowCount == 0 && report.added == 5 && report.bells == 5)
            #expect(report.warningCount == 3 && report.warnings.map(\.line) == [3, 5, 6])
            #expect(report.warnings.first?.reason.contains("'001' also names the bell of line 2") == true, "\(report.warnings)")
            let stored = try await BellRepository(database: app.db).all()
            #expect(stored.map(\.record.key) == (1...5).map { "3220000-000\($0)" })
            #expect(stored.map(\.record.managementNumber) == ["001", "001", "002", "001", "002"])

            let again = try await importer.importFile(at: path, actor: "test")
            #expect(again.unchanged == 5 && again.added == 0 && again.missing == 0 && again.bells == 5)
        }
    }

    /// A newer file without a decommissioned bell: reported missing, kept until `prune`; a
    /// bell a bad row names is never pruned, and a bad row naming no bell stops the pruning.
    @Test(arguments: DatabaseKind.allCases)
    func bellsMissingFromANewerFileAreReportedAndRemovedOnlyWhenPruning(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let importer = BellImporter(database: app.db)
            func file(_ rows: [[String]]) throws -> String {
                try RegistryFixtures.write(Data(RegistryFixtures.csv([Self.header] + rows).utf8), name: "bells.csv")
            }
            _ = try await importer.importFile(at: try file([Self.row("B-001"), Self.row("B-002"), Self.row("B-003")]), actor: "test")
            let repository = BellRepository(database: app.db)
            let presses = BellPressRepository(database: app.db)
            let gone = try #require(try await repository.all().first { $0.record.managementNumber == "B-003" })
            try await presses.setSecret(bell: gone.id, sealed: "sealed", by: "test", now: Date())
            #expect(try await presses.recordPress(bell: gone.id, nonce: "n-1", signedAt: Date(), receivedAt: Date(), drill: false, alarm: UUID()))
            _ = try await presses.addDrill(bell: gone.id, from: Date(), until: Date().addingTimeInterval(600), note: "훈련", by: "test")
            _ = try await presses.addDrill(bell: nil, from: Date(), until: Date().addingTimeInterval(600), note: "전체 훈련", by: "test")

            // B-002's row is bad (no latitude) but names it; B-003 is not in the file.
            let newer = try file([Self.row("B-001"), Self.row("B-002", latitude: "")])
            let kept = try await importer.importFile(at: newer, actor: "test")
            #expect(kept.missing == 1 && kept.missingKeys == ["B-003"] && kept.pruned == 0 && kept.bells == 3)
            let preview = try await importer.importFile(at: newer, actor: "test", dryRun: true, prune: true)
            #expect(preview.dryRun && preview.pruned == 1 && preview.bells == 2)
            #expect(try await repository.count() == 3, "a dry run removes nothing")

            // A bad row that names no bell could be the missing one: nothing is pruned.
            let unnamed = try await importer.importFile(at: try file([Self.row("B-001"), Self.row("B-002", latitude: ""), Self.row("")]),
                                                        actor: "test", prune: true)
            #expect(unnamed.pruned == 0 && unnamed.pruneRefused?.contains("1 bad row names no bell") == true && unnamed.bells == 3)

            let pruned = try await importer.importFile(at: newer, actor: "test", prune: true)
            #expect(pruned.pruned == 1 && pruned.bells == 2 && pruned.pruneRefused == nil)
            #expect(try await repository.keys() == ["B-001", "B-002"], "the bell a bad row names is kept")
            #expect(try await presses.sealedSecret(bell: gone.id) == nil, "a removed bell's key goes with it")
            #expect(try await presses.presses(since: Date.distantPast).isEmpty)
            #expect(try await presses.drills(notEndedBy: Date()).map(\.bellID) == [nil], "its drill window goes; the all-bells one stays")
            let audit = try await AuditLog(database: app.db).list(.init(action: "bells.import", limit: 1))
            #expect(audit.first?.details.contains("\"pruned\":1") == true)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func fileWithoutRequiredColumnsIsRefusedNamingThem(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let path = try RegistryFixtures.write(RegistryFixtures.cp949("설치위치,위도\r\n공원,37.5\r\n"), name: "bells.csv")
            do {
                _ = try await BellImporter(database: app.db).importFile(at: path, actor: "test")
                Issue.record("a file without 안전비상벨관리번호 was imported")
            } catch let failure as BellImporter.Failure {
                #expect(failure.description.contains("안전비상벨관리번호") && failure.description.contains("WGS84경도"))
            }
            #expect(try await BellRepository(database: app.db).count() == 0)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func bellsListTheCamerasThatSeeThemNearestFirst(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            // Around a bell at 37.5000, 127.0300: 30 m north looking south (sees it), 30 m south
            // looking south (does not), an all-round camera 60 m east (sees it), one 300 m away.
            let registry = RegistryFixtures.csv([RegistryFixtures.currentHeader,
                RegistryFixtures.currentRow(number: 1, cameras: "1", latitude: "37.500270", longitude: "127.030000", roadAddress: "north pole", direction: "남측"),
                RegistryFixtures.currentRow(number: 2, cameras: "1", latitude: "37.499730", longitude: "127.030000", roadAddress: "south pole", direction: "남측"),
                RegistryFixtures.currentRow(number: 3, cameras: "1", latitude: "37.500000", longitude: "127.030680", roadAddress: "east dome"),
                RegistryFixtures.currentRow(number: 4, cameras: "1", latitude: "37.502700", longitude: "127.030000", roadAddress: "far dome"),
            ])
            _ = try await RegistryImporter(database: app.db).importFile(at: try RegistryFixtures.write(Data(registry.utf8)), actor: "test")
            let bells = RegistryFixtures.csv([Self.header, Self.row("B-001"), Self.row("B-009", latitude: "37.600000")])
            _ = try await BellImporter(database: app.db).importFile(at: try RegistryFixtures.write(Data(bells.utf8), name: "bells.csv"), actor: "test")

            let listings = try await BellDirectory(database: app.db).listings()
            let near = try #require(listings.first { $0.bell.managementNumber == "B-001" })
            #expect(near.cameras.map(\.address) == ["north pole", "east dome"])
            #expect(abs(near.cameras[0].distance - 30) < 1 && abs(near.cameras[1].distance - 60) < 1)
            #expect(listings.first { $0.bell.managementNumber == "B-009" }?.cameras.isEmpty == true)
            let wider = try await BellDirectory(database: app.db).listings(radius: 400)
            #expect(wider.first { $0.bell.managementNumber == "B-001" }?.cameras.map(\.address) == ["north pole", "east dome", "far dome"])
        }
    }
}
