import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import Testing

/// `citywatch provision` as a privacy officer runs it.
@Suite("Provision command", .serialized)
struct ProvisionCommandTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "build the executable first: swift build"),
          arguments: DatabaseKind.allCases)
    func listsRequestsAndPrintsTheLedgerAsTheConsoleDownloadsIt(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let service = ProvisionService(database: app.db, configuration: app.cityWatch.configuration)
            let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970).rounded(.down))
            func draft(_ caseNumber: String) -> ProvisionRequest.Draft {
                .init(officerName: "경위 김수사", agency: "서울강남경찰서", caseNumber: caseNumber, legalBasis: .criminalInvestigation,
                      purpose: "용의자 확인, 동선 파악", cameraIds: [camera], from: now.addingTimeInterval(-3_600), to: now)
            }
            let waiting = try await service.file(draft("2026-1"), actor: "police1")
            var provided = try await service.approve(try await service.file(draft("2026-2"), actor: "police1").id, actor: "privacy", role: .privacyOfficer)
            // The ledger line an export writes (the export itself is tested through the API).
            try provided.markExported(exportId: UUID(), at: now)
            try await ProvisionRepository(database: app.db).save(provided)
            try await ProvisionRepository(database: app.db).append(ProvisionLedgerEntry(
                request: provided, exportedBy: "operator1", exportId: try #require(provided.exportId), manifestSHA256: "ab" + String(repeating: "0", count: 62), providedAt: now))
            let database = app.cityWatch.configuration.database

            let list = try CommandLineTests.citywatch(["provision", "list"], database: database).split(separator: "\n")
            #expect(list.count == 2)
            #expect(list.contains { $0.hasPrefix(waiting.id.uuidString.lowercased() + "\trequested\t") && $0.hasSuffix("undecided") })
            #expect(list.contains { $0.hasPrefix(provided.id.uuidString.lowercased() + "\texported\t") && $0.hasSuffix("decided by privacy") })
            let exported = try CommandLineTests.citywatch(["provision", "list", "--status", "exported", "--json"], database: database)
            #expect(exported.split(separator: "\n").count == 1 && exported.contains("\"caseNumber\":\"2026-2\""))
            do {
                _ = try CommandLineTests.citywatch(["provision", "list", "--status", "pending"], database: database)
                Issue.record("--status pending was accepted")
            } catch let failure as ProgramFailure {
                #expect(failure.standardError.contains("--status 'pending' is not one of requested, approved, refused, exported"), "\(failure)")
            }

            let csv = try CommandLineTests.citywatch(["provision", "ledger", "--csv", "--actor", "privacy"], database: database)
            // Foundation drops the byte-order mark when the test reads the output back; the rest is byte for byte the download.
            let expected = ProvisionLedgerCSV.text(try await ProvisionRepository(database: app.db).ledger())
            #expect(csv.trimmingPrefix("\u{FEFF}") == expected.trimmingPrefix("\u{FEFF}"), "\(csv.debugDescription) vs \(expected.debugDescription)")
            #expect(csv.contains("\r\n") && csv.split(separator: "\r\n").count == 2)
            #expect(csv.contains(",\"용의자 확인, 동선 파악\","))
            let table = try CommandLineTests.citywatch(["provision", "ledger"], database: database)
            #expect(table.contains("2026-2\t경위 김수사 (서울강남경찰서)\tapproved by privacy"))
            let reads = try await AuditLog(database: app.db).list(.init(action: "provision.ledger"))
            #expect(reads.map(\.actor).sorted() == ["cli", "privacy"])
        }
    }
}
