import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchMedia
import Fluent
import FluentKit
import Foundation
import Synchronization

/// `citywatch export create`.
struct ExportCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Cut clips of cameras for a time range into a folder with a signed manifest.json.",
        discussion: """
            Clips are cut by stream copy (no re-encoding). The export is audit-logged with its reason. Prints the folder and, with \
            --zip, the zip file. The server's retention sweep deletes the export from the data folder CITYWATCH_EXPORT_KEEP_DAYS \
            (30) days after it was made (later while a legal hold covers its footage); a copy made with --output is yours to keep.
            """)

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("camera"), help: ArgumentHelp("A camera id (repeatable).", valueName: "uuid")) var cameras: [String]
    @Option(help: ArgumentHelp("Start, ISO 8601 (2026-11-26T09:00:00Z).", valueName: "time")) var from: String
    @Option(help: ArgumentHelp("End, ISO 8601.", valueName: "time")) var to: String
    @Option(help: "Why the footage is exported (case number, request).") var reason: String
    @Option(name: [.short, .long], help: ArgumentHelp("Copy the export to this folder too.", valueName: "folder")) var output: String?
    @Flag(help: "Also write a zip of the export.") var zip = false
    @Flag(help: "Black out the cameras' privacy masks (re-encodes those clips). Without it the clips are as recorded: the command line acts as the installation's administrator.")
    var masked = false

    func run() async throws {
        let configuration = try store.resolve()
        let ids = try cameras.map { text -> UUID in
            guard let id = UUID(uuidString: text) else { throw ValidationError("camera '\(text)' is not a camera id (UUID)") }
            return id
        }
        guard let start = AuditListCommand.parse(from), let end = AuditListCommand.parse(to) else {
            throw ValidationError("--from and --to must be ISO 8601 times such as 2026-11-26T09:00:00Z")
        }
        let (reason, output, zip, masked) = (reason, output, zip, masked)
        let (manifest, folder, zipPath) = try await withStore(configuration) { app -> (EvidenceManifest, String, String?) in
            let service = EvidenceService(database: app.db, configuration: configuration)
            do {
                // Progress on standard error, a line every tenth: masked clips are re-encoded and take a while.
                let shown = Mutex(0)
                let (manifest, folder) = try await service.export(cameraIDs: ids, from: start, to: end, reason: reason, actor: commandLineActor,
                                                                  unmasked: !masked) { progress in
                    let tenth = progress.percent / 10
                    guard shown.withLock({ last in
                        defer { last = max(last, tenth) }
                        return tenth > last
                    }) else { return }
                    FileHandle.standardError.write(Data("exported \(tenth * 10) % (cameras done \(progress.camerasDone) of \(progress.cameras))\n".utf8))
                }
                return (manifest, folder, zip ? try service.zip(exportID: manifest.exportId) : nil)
            } catch let problem as EvidenceService.Problem {
                throw ValidationError(problem.description)
            }
        }
        var shownFolder = folder
        if let output {
            try? FileManager.default.removeItem(atPath: output)
            try FileManager.default.copyItem(atPath: folder, toPath: output)
            shownFolder = output
        }
        print("Exported \(manifest.files.count) clip(s) to \(shownFolder)")
        for clip in manifest.cameras {
            let missing = clip.missing.isEmpty ? "" : " (\(clip.missing.count) unrecorded stretch(es))"
            print("  \(clip.file.isEmpty ? "no recording" : clip.file)  \(clip.address)\(missing)")
        }
        if let zipPath { print("zip: \(zipPath)") }
        print("signed with key \(SigningKey.fingerprint(ofPublicKey: Data(base64Encoded: manifest.signingKey) ?? Data()))")
    }
}
