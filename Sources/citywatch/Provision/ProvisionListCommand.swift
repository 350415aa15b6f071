import ArgumentParser
import CityWatchCommandLine
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation

/// `citywatch provision list`.
struct ProvisionListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List provision requests, newest first.")

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Only requests in this state (requested, approved, refused, exported).", valueName: "status"))
    var status: String?
    @Flag(help: "Print JSON lines.") var json = false

    func validate() throws {
        if let status, ProvisionStatus(rawValue: status) == nil {
            throw ValidationError("--status '\(status)' is not one of \(ProvisionStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let configuration = try store.resolve()
        let wanted = status.flatMap(ProvisionStatus.init(rawValue:))
        let requests = try await withStore(configuration) { app in
            try await ProvisionRepository(database: app.db).requests().filter { wanted == nil || $0.status == wanted }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        for request in requests {
            if json {
                print(String(decoding: try encoder.encode(request), as: UTF8.self))
            } else {
                print([request.id.uuidString.lowercased(), request.status.rawValue, ProvisionLedgerCSV.kst(request.requestedAt),
                       request.agency, request.caseNumber, request.officerName, "\(request.cameraIds.count) cameras",
                       "\(ProvisionLedgerCSV.kst(request.from))…\(ProvisionLedgerCSV.kst(request.to))",
                       request.decidedBy.map { "decided by \($0)" } ?? "undecided"].joined(separator: "\t"))
            }
        }
    }
}
