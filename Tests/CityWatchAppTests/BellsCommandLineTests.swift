import CityWatchStore
import CityWatchTestSupport
import Foundation
import Testing

/// `citywatch bells import` and `bells list`, run as a user would run them.
@Suite("Bells command line", .serialized)
struct BellsCommandLineTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "build the executable first: swift build"),
          arguments: DatabaseKind.allCases)
    func importReportsBadRowsAndListShowsLinkedCameras(kind: DatabaseKind) async throws {
        let database = try await TestDatabase.make(kind)
        defer { database.drop() }
        let db = database.location
        let registry = RegistryFixtures.csv([RegistryFixtures.currentHeader,
            RegistryFixtures.currentRow(number: 1, cameras: "1", latitude: "37.500270", longitude: "127.030000", roadAddress: "north pole", direction: "남측")])
        _ = try CommandLineTests.citywatch(["cameras", "import", try RegistryFixtures.write(Data(registry.utf8))], database: db)

        let bells = RegistryFixtures.cp949(RegistryFixtures.csv([BellImportTests.header, BellImportTests.row("B-001"),
                                                                 BellImportTests.row("B-002", longitude: "x")]))
        let path = try RegistryFixtures.write(bells, name: "bells.csv")
        // A dry run with every bad row to a file: the report, nothing stored.
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("bell-errors-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: errors) }
        let trial = try CommandLineTests.citywatch(["bells", "import", path, "--dry-run", "--errors", errors], database: db)
        #expect(trial.contains("dry run — nothing was written") && trial.contains("1 to add") && trial.contains("would hold: 1 bell"), "\(trial)")
        let errorRows = try String(contentsOfFile: errors, encoding: .utf8)
        #expect(errorRows.hasPrefix("line,reason\n3,") && errorRows.contains("'x' is not a number"), "\(errorRows)")
        #expect(!(try CommandLineTests.citywatch(["bells", "list"], database: db).contains("B-001")), "a dry run stores no bell")

        let text = try CommandLineTests.citywatch(["bells", "import", path], database: db)
        #expect(text.contains("1 valid, 1 bad"), "\(text)")
        #expect(text.contains("line 3: WGS84경도 (longitude) 'x' is not a number"), "\(text)")

        let json = try CommandLineTests.citywatch(["bells", "import", path, "--json"], database: db)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(report["unchanged"] as? Int == 1 && report["badRowCount"] as? Int == 1)

        let listed = try CommandLineTests.citywatch(["bells", "list", "--json"], database: db)
        let listings = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]])
        #expect(listings.count == 1)
        let cameras = try #require(listings.first?["cameras"] as? [[String: Any]])
        #expect(cameras.map { $0["address"] as? String } == ["north pole"])
        #expect(try CommandLineTests.citywatch(["bells", "list"], database: db).contains("B-001"))

        // B-001 is decommissioned: a newer file without it reports it, --prune removes it.
        let newer = try RegistryFixtures.write(Data(RegistryFixtures.csv([BellImportTests.header, BellImportTests.row("B-009")]).utf8), name: "bells.csv")
        let reported = try CommandLineTests.citywatch(["bells", "import", newer], database: db)
        #expect(reported.contains("missing from the file: 1 bell (kept; --prune removes them): B-001"), "\(reported)")
        let pruned = try CommandLineTests.citywatch(["bells", "import", newer, "--prune"], database: db)
        #expect(pruned.contains("missing from the file: 1 bell, 1 removed: B-001") && pruned.contains("now holds: 1 bell"), "\(pruned)")
        #expect(!(try CommandLineTests.citywatch(["bells", "list"], database: db).contains("B-001")))

        let missing = try RegistryFixtures.write(Data("설치위치,위도\n공원,37.5\n".utf8), name: "bells.csv")
        do {
            _ = try CommandLineTests.citywatch(["bells", "import", missing], database: db)
            Issue.record("a file without 안전비상벨관리번호 was imported")
        } catch let failure as ProgramFailure {
            #expect(failure.status != 0)
            #expect(failure.standardError.contains("안전비상벨관리번호"), "\(failure.standardError)")
        }
    }
}
