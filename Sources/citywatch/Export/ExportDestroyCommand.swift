import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchMedia
import CityWatchStore
import Fluent
import Foundation

/// `citywatch export destroy`.
struct ExportDestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Destroy an evidence export before its days are over, with the reason.",
        discussion: """
            For an export whose purpose is met (the police have their copy, the case is closed). Refused while a legal hold covers \
            footage it holds, and, in a cluster, while a live server was built before early destruction (it is named: finish the \
            rolling upgrade first). Audit-logged as video.export.destroy with the reason; this data folder's copy is deleted now, and \
            every server of the installation refuses it from then on and deletes its own copy at its next retention sweep. The \
            command line acts as the installation's administrator.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The export's id (its manifest's exportId).", valueName: "uuid")) var export: String
    @Option(help: "Why it is destroyed now (3–500 characters).") var reason: String

    func run() async throws {
        let configuration = try store.resolve()
        guard let id = UUID(uuidString: export) else { throw ValidationError("'\(export)' is not an export id (UUID)") }
        let reason = reason
        let deletion = try await withStore(configuration) { app -> EvidenceService.Deletion in
            let holds = try await RecordingRepository(database: app.db).retentionHolds()
            do {
                return try await EvidenceService(database: app.db, configuration: configuration)
                    .destroyExport(id, reason: reason, actor: commandLineActor, holds: holds) { _ in true }
            } catch let problem as EvidenceService.DestructionProblem {
                throw ValidationError(problem.description)
            }
        }
        print("Destroyed export \(id) (\(deletion.cameras.count) camera(s)); audit-logged as video.export.destroy")
    }
}
