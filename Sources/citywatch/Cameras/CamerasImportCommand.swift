import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import Fluent
import FluentKit
import Foundation

/// `citywatch cameras import FILE`.
struct CamerasImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a national CCTV registry file (13- or 18-column layout, CP949 or UTF-8).",
        discussion: "Each row is a site (a pole or place) with 카메라대수 cameras. Bad rows are reported with their line number and reason and every good row is kept. Importing the same file again changes nothing; a newer file updates changed rows. Sites missing from the file are reported, and removed only with --prune. The import is all or nothing: it lands whole or not at all. Exit status: 0 imported (bad rows reported), 1 the file could not be imported.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The registry file (.csv).", valueName: "file"))
    var file: String

    @Flag(name: .customLong("dry-run"), help: "Report what the import would do without writing anything.")
    var dryRun = false

    @Flag(help: "Remove sites (and their cameras) that the file no longer holds.")
    var prune = false

    @Option(name: .customLong("errors"), help: ArgumentHelp("Write every bad row (line, reason) to this CSV file.", valueName: "file"))
    var errorsFile: String?

    @OptionGroup var flags: ImportFlags

    func run() async throws {
        let configuration = try store.resolve()
        let errorSink = try errorsFile.map { try BadRowFile(path: $0) }
        let progress = ProgressPrinter(enabled: !flags.json)
        let options = RegistryImporter.Options(dryRun: dryRun, prune: prune, bounds: flags.bounds)
        let file = file
        let report: ImportReport
        do {
            report = try await withStore(configuration) { app in
                try await RegistryImporter(database: app.db).importFile(
                    at: file, actor: commandLineActor, options: options,
                    onBadRow: { errorSink?.write($0) }, onProgress: { progress.update($0) })
            }
        } catch let failure as RegistryImporter.Failure {
            progress.finish()
            throw ValidationError("\(file): \(failure)")
        }
        progress.finish()
        errorSink?.close()
        if flags.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(ImportReportText(report: report, errorsFile: errorsFile).text)
        }
    }
}

/// The registry import's progress on standard error (``StatusLine``).
struct ProgressPrinter: Sendable {
    let line: StatusLine

    init(enabled: Bool) {
        line = StatusLine(enabled: enabled)
    }

    func update(_ progress: RegistryImporter.Progress) {
        let percent = progress.totalBytes > 0 ? Int(100 * progress.bytesRead / progress.totalBytes) : 0
        line.show("  reading: \(progress.rowsRead.grouped) rows (\(percent)%), \(progress.badRows.grouped) bad")
    }

    func finish() { line.finish() }
}

/// Writes bad rows to a CSV file as they come.
final class BadRowFile: @unchecked Sendable {
    // @unchecked: writes are serialised by the lock.
    private let handle: FileHandle
    private let lock = NSLock()

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data("line,reason\n".utf8)),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot write the errors file \(path)")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func write(_ row: ImportReport.BadRow) {
        lock.lock()
        defer { lock.unlock() }
        handle.write(Data("\(row.line),\(CSVField.encode(row.reason))\n".utf8))
    }

    func close() {
        try? handle.close()
    }
}
