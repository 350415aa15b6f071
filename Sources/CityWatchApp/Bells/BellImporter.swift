import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// Imports the national safety-emergency-bell standard data into the store.
///
/// The same reader as the camera registry (``CSVTokenizer``, ``RegistryTextEncoding`` and the
/// import's field decoder): CP949 or UTF-8 with or without a byte-order mark, quoted fields
/// holding commas and line breaks. Every good row is kept, every bad one reported with its line
/// and reason; a re-import updates bells by their key (``BellRecord/key``: 관리번호, else
/// 안전비상벨관리번호), and a 안전비상벨관리번호 shared by several bells is a warning, not a bad
/// row (``BellKeyLedger``). Bells keyed by their number that a file's 관리번호 names are
/// re-keyed, keeping their secrets and presses (``BellRekeying``). Bells the file does not name are
/// reported missing and removed only with `prune` (never those a bad row names, and not at all
/// when a bad row names no bell: it could be any of them). One transaction: the import lands
/// whole or not at all. Bell files are small (tens of thousands of rows nationally), so the
/// valid rows are held in memory and written once at the end.
public struct BellImporter: Sendable {
    /// Why a file could not be imported at all (a bad row never stops an import).
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The file cannot be read, is empty, is not text, or its header row cannot be split:
        /// the same failures as a camera registry file.
        case file(RegistryImporter.Failure)
        /// The header is not a bell header or lacks required columns.
        case badHeader(BellLayout.Problem)

        public var description: String {
            switch self {
            case .file(let failure): failure.description
            case .badHeader(let problem): problem.description
            }
        }
    }

    let database: any Database
    let clock: @Sendable () -> Date

    public init(database: any Database, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.clock = clock
    }

    /// Imports the file at `path` on behalf of `actor`; positions must lie inside `bounds`.
    /// Every bad row goes to `onBadRow` (the report keeps the first few hundred). A `dryRun`
    /// works out the same report and writes nothing; `prune` removes the bells the file does
    /// not name (with their keys, press log and drill windows; their alarms and audit entries stay).
    public func importFile(at path: String, actor: String, bounds: RegistryBounds = .korea, dryRun: Bool = false, prune: Bool = false,
                           onBadRow: (@Sendable (ImportReport.BadRow) -> Void)? = nil) async throws -> BellImportReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.file(.unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"))
        }
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { throw Failure.file(.empty) }
        let encoding: RegistryTextEncoding, bomLength: Int
        do { (encoding, bomLength) = try RegistryTextEncoding.sniff(bytes.prefix(256 * 1024)) } catch { throw Failure.file(.notText(error)) }

        let file = try Self.read(bytes.dropFirst(bomLength), encoding: encoding, bounds: bounds, onBadRow: onBadRow)
        let now = clock()
        let clock = clock
        do {
            return try await write(file, path: path, actor: actor, now: now, dryRun: dryRun, prune: prune, clock: clock)
        } catch let rollback as DryRunRollback<BellImportReport> {
            return rollback.report
        }
    }

    private func write(_ file: ReadFile, path: String, actor: String, now: Date, dryRun: Bool, prune: Bool,
                       clock: @escaping @Sendable () -> Date) async throws -> BellImportReport {
        try await database.writeTransaction { tx in
            var report = file.report
            let repository = BellRepository(database: tx)
            report.rekeyed = try await repository.rekey(BellRekeying.moves(stored: try await repository.all(), incoming: file.records))
            let outcome = try await repository.upsert(file.records, now: now)
            report.added = outcome.added
            report.changed = outcome.changed
            report.unchanged = outcome.unchanged
            let missing = try await repository.keys().filter { !file.named.contains($0) }
            report.missing = missing.count
            report.missingKeys = Array(missing.prefix(ImportReport.badRowLimit))
            if prune, !missing.isEmpty {
                if file.unnamedBadRows > 0 {
                    report.pruneRefused = "\(file.unnamedBadRows) bad row\(file.unnamedBadRows == 1 ? "" : "s") name\(file.unnamedBadRows == 1 ? "s" : "") no bell "
                        + "(no readable 관리번호 or 안전비상벨관리번호) and could be any of the missing ones; fix \(file.unnamedBadRows == 1 ? "it" : "them") and import again"
                } else {
                    report.pruned = try await repository.delete(keys: missing)
                }
            }
            report.bells = try await repository.count()
            if dryRun {
                report.dryRun = true
                throw DryRunRollback(report: report)
            }
            try await AuditLog(database: tx, clock: clock).append(AuditEvent(
                actor: actor, action: "bells.import", target: URL(fileURLWithPath: path).lastPathComponent,
                details: ["rowsRead": .int(Int64(report.rowsRead)), "added": .int(Int64(report.added)),
                          "changed": .int(Int64(report.changed)), "badRows": .int(Int64(report.badRowCount)),
                          "warnings": .int(Int64(report.warningCount)), "rekeyed": .int(Int64(report.rekeyed)),
                          "missing": .int(Int64(report.missing)), "pruned": .int(Int64(report.pruned))]))
            return report
        }
    }

    /// What a file holds: the report so far, the records to store, every key a row names (good
    /// or bad) and how many bad rows name none.
    struct ReadFile {
        var report: BellImportReport
        var records: [BellRecord]
        var named: Set<String>
        var unnamedBadRows: Int
    }

    /// Reads and validates every row.
    static func read(_ bytes: ArraySlice<UInt8>, encoding: RegistryTextEncoding, bounds: RegistryBounds,
                     onBadRow: ((ImportReport.BadRow) -> Void)? = nil) throws -> ReadFile {
        var tokenizer = CSVTokenizer()
        var events: [CSVTokenizer.Event] = []
        tokenizer.feed(bytes) { events.append($0) }
        tokenizer.finish { events.append($0) }
        let decoder = FieldDecoder(encoding: encoding)
        var report = BellImportReport(encoding: encoding)
        var parser: BellRowParser?
        var records: [BellRecord] = []
        var ledger = BellKeyLedger()
        var named = Set<String>()
        var unnamedBadRows = 0
        for event in events {
            switch event {
            case .problem(let problem):
                guard parser != nil else { throw Failure.file(.headerUnreadable(problem)) }
                report.rowsRead += 1
                unnamedBadRows += 1
                report.recordBadRow(.init(line: problem.line, reason: RegistryRowError.unreadable(problem).description), to: onBadRow)
            case .record(let record):
                var fields: [String] = []
                var undecodable: Int?
                for i in 0..<record.count {
                    if let text = decoder.decode(record.field(i)) { fields.append(text) } else {
                        undecodable = undecodable ?? i + 1
                        fields.append("")
                    }
                }
                guard let rowParser = parser else {
                    do { parser = BellRowParser(layout: try BellLayout(header: fields), bounds: bounds) } catch { throw Failure.badHeader(error) }
                    report.ignoredColumns = parser!.layout.unknownColumns
                    continue
                }
                report.rowsRead += 1
                let key = rowParser.key(in: fields)
                if !key.isEmpty { named.insert(key) }
                let result: Result<BellRecord, BellRowError> = undecodable.map { .failure(.row(.undecodableText(field: $0))) } ?? rowParser.parse(fields)
                switch result {
                case .failure(let error):
                    if key.isEmpty { unnamedBadRows += 1 }
                    report.recordBadRow(.init(line: record.line, reason: error.description), to: onBadRow)
                case .success(let bell):
                    switch ledger.admit(bell, line: record.line) {
                    case .refused(let error):
                        report.recordBadRow(.init(line: record.line, reason: error.description), to: onBadRow)
                        continue
                    case .admittedWithWarning(let warning):
                        report.recordWarning(.init(line: record.line, reason: warning.description))
                    case .admitted:
                        break
                    }
                    report.validRows += 1
                    records.append(bell)
                }
            }
        }
        guard parser != nil else { throw Failure.file(.empty) }
        return ReadFile(report: report, records: records, named: named, unnamedBadRows: unnamedBadRows)
    }
}
