import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import Fluent
import Foundation

/// `citywatch bells import FILE`.
struct BellsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a national safety-emergency-bell file (전국안전비상벨위치표준데이터, CP949 or UTF-8).",
        discussion: "Columns are matched by name, in any order; unknown columns are ignored. Bad rows are reported with their line number and reason and every good row is kept. A bell is keyed by 관리번호, the standard's row key, or by 안전비상벨관리번호 when the file has no 관리번호; importing again updates bells by their key. A 안전비상벨관리번호 shared by several bells (installers number their own) is a warning, and every such bell is kept. Bells keyed by 안전비상벨관리번호 (a file without 관리번호, or an import before bells were keyed by it) take the 관리번호 of the row with their number and keep their secret, presses and drill windows; they still answer to the old key. Bells missing from the file are reported, and removed only with --prune (with their keys, press log and drill windows; never a bell a bad row names, and nothing when a bad row names no bell). Exit status: 0 imported (bad rows reported), 1 the file could not be imported.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The bell file (.csv).", valueName: "file"))
    var file: String

    @Flag(name: .customLong("dry-run"), help: "Report what the import would do without writing anything.")
    var dryRun = false

    @Flag(help: "Remove the bells the file does not name (decommissioned); try it with --dry-run first.")
    var prune = false

    @Option(name: .customLong("errors"), help: ArgumentHelp("Write every bad row (line, reason) to this CSV file.", valueName: "file"))
    var errorsFile: String?

    @OptionGroup var flags: ImportFlags

    func run() async throws {
        let configuration = try store.resolve()
        let errorSink = try errorsFile.map { try BadRowFile(path: $0) }
        defer { errorSink?.close() }
        let file = file
        let bounds = flags.bounds
        let (dryRun, prune) = (dryRun, prune)
        let report: BellImportReport
        do {
            report = try await withStore(configuration) { app in
                try await BellImporter(database: app.db).importFile(at: file, actor: commandLineActor, bounds: bounds, dryRun: dryRun, prune: prune,
                                                                    onBadRow: { errorSink?.write($0) })
            }
        } catch let failure as BellImporter.Failure {
            throw ValidationError("\(file): \(failure)")
        }
        if flags.json {
            print(try prettyJSON(report))
        } else {
            print(Self.text(report, errorsFile: errorsFile))
        }
    }

    /// The report as the terminal shows it: counts, then every bad row (the first 200).
    static func text(_ r: BellImportReport, errorsFile: String? = nil) -> String {
        var lines = [r.dryRun ? "Bell import dry run — nothing was written." : "Bell import complete.", "  file: \(r.encoding.rawValue)"]
        if !r.ignoredColumns.isEmpty { lines.append("  ignored columns: \(r.ignoredColumns.joined(separator: ", "))") }
        lines.append("  rows: \(r.rowsRead.grouped) read, \(r.validRows.grouped) valid, \(r.badRowCount.grouped) bad"
                     + (r.warningCount > 0 ? ", \(r.warningCount.grouped) with a warning" : ""))
        lines.append("  bells: \(r.added.grouped) \(r.dryRun ? "to add" : "added"), \(r.changed.grouped) \(r.dryRun ? "to change" : "changed"), \(r.unchanged.grouped) unchanged")
        if r.rekeyed > 0 {
            lines.append("  re-keyed by 관리번호: \(r.rekeyed.grouped) bell\(r.rekeyed == 1 ? "" : "s") keyed by 안전비상벨관리번호 until now (secrets, presses and drills kept; the old key still works)")
        }
        if r.missing > 0 {
            let fate = r.pruned > 0 ? ", \(r.pruned.grouped) \(r.dryRun ? "to remove" : "removed")" : (r.pruneRefused == nil ? " (kept; --prune removes them)" : " (kept)")
            let shown = r.missingKeys.prefix(10).joined(separator: ", ") + (r.missing > 10 ? ", …" : "")
            lines.append("  missing from the file: \(r.missing.grouped) bell\(r.missing == 1 ? "" : "s")\(fate): \(shown)")
        }
        if let refused = r.pruneRefused { lines.append("  not pruned: \(refused)") }
        lines.append("  registry \(r.dryRun ? "would hold" : "now holds"): \(r.bells.grouped) bell\(r.bells == 1 ? "" : "s")")
        if r.warningCount > 0 {
            lines.append("  warnings (imported):")
            for row in r.warnings.prefix(20) { lines.append("    line \(row.line): \(row.reason)") }
            if r.warningCount > 20 { lines.append("    … and \((r.warningCount - 20).grouped) more (--json lists the first \(ImportReport.badRowLimit))") }
        }
        if r.badRowCount > 0 {
            lines.append("  bad rows:")
            for row in r.badRows { lines.append("    line \(row.line): \(row.reason)") }
            if r.badRowCount > r.badRows.count {
                lines.append("    … and \((r.badRowCount - r.badRows.count).grouped) more\(errorsFile == nil ? " (--errors FILE writes them all)" : "")")
            }
            if let errorsFile { lines.append("  every bad row: \(errorsFile)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// `value` as indented JSON with sorted keys.
func prettyJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
