import ArgumentParser
import CityWatchCommandLine
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation

/// `citywatch provision ledger`.
struct ProvisionLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Print the provision ledger: every export given to the police, oldest first.",
        discussion: "--csv prints the same CSV as the console's download (UTF-8 with BOM, CRLF, Korean time). The read is audit-logged.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print CSV instead of tab-separated lines.") var csv = false
    @Option(help: ArgumentHelp("Who reads the ledger, for the audit log.", valueName: "name")) var actor = "cli"

    func run() async throws {
        let configuration = try store.resolve()
        let actor = self.actor, action = csv ? "provision.ledger.csv" : "provision.ledger"
        let entries = try await withStore(configuration) { app in
            let entries = try await ProvisionRepository(database: app.db).ledger()
            try await AuditLog(database: app.db).append(AuditEvent(actor: actor, action: action, target: "ledger",
                                                                   details: ["rows": .int(Int64(entries.count)), "via": "cli"]))
            return entries
        }
        if csv {
            FileHandle.standardOutput.write(Data(ProvisionLedgerCSV.text(entries).utf8))
            return
        }
        for entry in entries {
            print([ProvisionLedgerCSV.kst(entry.providedAt), entry.caseNumber, "\(entry.recipient) (\(entry.agency))",
                   "approved by \(entry.approvedBy)", "export \(entry.exportId.uuidString.lowercased())",
                   "manifest \(entry.manifestSHA256.prefix(16))"].joined(separator: "\t"))
        }
    }
}
