import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// Imports the national safety-emergency-bell standard data into the store.
///
/// The same reader as the camera registry (``CSVTokenizer``, ``RegistryTextEncoding`` and the
/// import's field decoder): CP949 or UTF-8 with or without a byte-order mark, quoted fields
/// holding commas and line breaks. Every good row is kept, every bad one reported with its line
/// and reason; a re-import updates bells by 안전비상벨관리번호. One transaction: the import lands
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
    /// works out the same report and writes nothing.
    public func importFile(at path: String, actor: String, bounds: RegistryBounds = .korea, dryRun: Bool = false,
                           onBadRow: (@Sendable (ImportReport.BadRow) -> Void)? = nil) async throws -> BellImportReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.file(.unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"))
        }
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { throw Failure.file(.empty) }
        let encoding: RegistryTextEncoding, bomLength: Int
        do { (encoding, bomLength) = try RegistryTextEncoding.sniff(bytes.prefix(256 * 1024)) } catch { throw Failure.file(.notText(error)) }

        let (read, records) = try Self.read(bytes.dropFirst(bomLength), encoding: encoding, bounds: bounds, onBadRow: onBadRow)
        let now = clock()
        let clock = clock
        do {
            return try await write(records, report: read, path: path, actor: actor, now: now, dryRun: dryRun, clock: clock)
        } catch let rollback as DryRunRollback<BellImportReport> {
            return rollback.report
        }
    }

    private func write(_ records: [BellRecord], report read: BellImportReport, path: String, actor: String, now: Date, dryRun: Bool,
                       clock: @escaping @Sendable () -> Date) async throws -> BellImportReport {
        try await database.writeTransaction { tx in
            var report = read
            let repository = BellRepository(database: tx)
            let outcome = try await repository.upsert(records, now: now)
            report.added = outcome.added
            report.changed = outcome.changed
            report.unchanged = outcome.unchanged
            report.bells = try await repository.count()
            if dryRun {
                report.dryRun = true
                throw DryRunRollback(report: report)
            }
            try await AuditLog(database: tx, clock: clock).append(AuditEvent(
                actor: actor, action: "bells.import", target: URL(fileURLWithPath: path).lastPathComponent,
                details: ["rowsRead": .int(Int64(report.rowsRead)), "added": .int(Int64(report.added)),
                          "changed": .int(Int64(report.changed)), "badRows": .int(Int64(report.badRowCount))]))
            return report
        }
    }

    /// Reads and validates every row: the report so far and the records to store.
    static func read(_ bytes: ArraySlice<UInt8>, encoding: RegistryTextEncoding, bounds: RegistryBounds,
                     onBadRow: ((ImportReport.BadRow) -> Void)? = nil) throws -> (BellImportReport, [BellRecord]) {
        var tokenizer = CSVTokenizer()
        var events: [CSVTokenizer.Event] = []
        tokenizer.feed(bytes) { events.append($0) }
        tokenizer.finish { events.append($0) }
        let decoder = FieldDecoder(encoding: encoding)
        var report = BellImportReport(encoding: encoding)
        var parser: BellRowParser?
        var records: [BellRecord] = []
        var firstLine: [String: Int] = [:]
        for event in events {
            switch event {
            case .problem(let problem):
                guard parser != nil else { throw Failure.file(.headerUnreadable(problem)) }
                report.rowsRead += 1
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
                let result: Result<BellRecord, BellRowError> = undecodable.map { .failure(.row(.undecodableText(field: $0))) } ?? rowParser.parse(fields)
                switch result {
                case .failure(let error):
                    report.recordBadRow(.init(line: record.line, reason: error.description), to: onBadRow)
                case .success(let bell):
                    if let first = firstLine[bell.managementNumber] {
                        let error = BellRowError.duplicateManagementNumber(bell.managementNumber, firstLine: first)
                        report.recordBadRow(.init(line: record.line, reason: error.description), to: onBadRow)
                        continue
                    }
                    firstLine[bell.managementNumber] = record.line
                    report.validRows += 1
                    records.append(bell)
                }
            }
        }
        guard parser != nil else { throw Failure.file(.empty) }
        return (report, records)
    }
}
