import CityWatchDomain
import CityWatchStore
import Foundation

/// The running state of one import: tokenizer, header, keyer, pending batch and counts.
struct ImportState {
    let encoding: RegistryTextEncoding
    let options: RegistryImporter.Options
    let onBadRow: (@Sendable (ImportReport.BadRow) -> Void)?
    private var tokenizer = CSVTokenizer()
    private let decoder: FieldDecoder
    private var parser: RegistryRowParser?
    private var keyer = RegistryKeyer()
    private var pending: [RegistryRepository.KeyedRecord] = []
    private var totals = RegistryRepository.BatchOutcome()
    /// Rows staged so far (the next batch's first sequence number).
    private var staged = 0
    private var camerasByPurpose: [String: Int] = [:]
    private var badRows: [ImportReport.BadRow] = []
    private var warnings: [ImportReport.BadRow] = []
    private var warningCount = 0
    private(set) var badRowCount = 0
    private(set) var rowsRead = 0
    private var validRows = 0

    init(encoding: RegistryTextEncoding, options: RegistryImporter.Options,
         onBadRow: (@Sendable (ImportReport.BadRow) -> Void)?) {
        self.encoding = encoding
        self.decoder = FieldDecoder(encoding: encoding)
        self.options = options
        self.onBadRow = onBadRow
    }

    /// Splits a chunk into rows and validates them; good rows wait in the batch.
    mutating func tokenize(_ chunk: [UInt8]) throws {
        var events: [CSVTokenizer.Event] = []
        tokenizer.feed(chunk) { events.append($0) }
        try handle(events)
    }

    /// Ends the file.
    mutating func finish() throws {
        var events: [CSVTokenizer.Event] = []
        tokenizer.finish { events.append($0) }
        try handle(events)
        guard parser != nil else { throw RegistryImporter.Failure.empty }
    }

    private mutating func handle(_ events: [CSVTokenizer.Event]) throws {
        for event in events {
            switch event {
            case .problem(let problem):
                guard parser != nil else { throw RegistryImporter.Failure.headerUnreadable(problem) }
                rowsRead += 1
                bad(line: problem.line, .unreadable(problem))
            case .record(let record):
                var fields: [String] = []
                fields.reserveCapacity(record.count)
                var undecodable: Int?
                for i in 0..<record.count {
                    if let text = decoder.decode(record.field(i)) { fields.append(text) } else {
                        undecodable = undecodable ?? i + 1
                        fields.append("")
                    }
                }
                guard let parser else {
                    do {
                        let layout = try RegistryLayout(header: fields)
                        parser = RegistryRowParser(layout: layout, bounds: options.bounds)
                    } catch { throw RegistryImporter.Failure.badHeader(error) }
                    continue
                }
                rowsRead += 1
                if let undecodable {
                    bad(line: record.line, .undecodableText(field: undecodable))
                    continue
                }
                switch parser.parse(fields) {
                case .failure(let error):
                    bad(line: record.line, error)
                case .success(let parsed):
                    let keyed = keyer.key(for: parsed, line: record.line)
                    if let firstLine = keyed.repeatsManagementNumberOfLine {
                        warn(line: record.line, "관리번호 '\(parsed.managementNumber)' repeats line \(firstLine); both rows are kept as separate sites")
                    }
                    validRows += 1
                    camerasByPurpose[parsed.purpose.code, default: 0] += parsed.cameraCount
                    pending.append(.init(key: keyed.key, record: parsed))
                }
            }
        }
    }

    private mutating func warn(line: Int, _ message: String) {
        warningCount += 1
        if warnings.count < ImportReport.badRowLimit { warnings.append(.init(line: line, reason: message)) }
    }

    private mutating func bad(line: Int, _ error: RegistryRowError) {
        let row = ImportReport.BadRow(line: line, reason: error.description)
        badRowCount += 1
        if badRows.count < ImportReport.badRowLimit { badRows.append(row) }
        onBadRow?(row)
    }

    /// Stages the pending batch when it is full (or when `force`).
    mutating func flush(to staging: RegistryStaging, run: UUID, now: Date, force: Bool) async throws {
        while pending.count >= options.batchSize || (force && !pending.isEmpty) {
            let batch = Array(pending.prefix(options.batchSize))
            pending.removeFirst(batch.count)
            let first = staged
            totals += try await RegistryImporter.yieldingTheLock { try await staging.stage(batch, run: run, firstSeq: first, now: now) }
            staged += batch.count
        }
    }

    /// Cameras the import adds less those it removes from changed sites (pruning aside).
    var cameraChange: Int { totals.camerasAdded - totals.camerasRemoved }

    /// The report so far (registry totals and missing rows are filled in by the importer).
    func report() throws -> ImportReport {
        guard let parser else { throw RegistryImporter.Failure.empty }
        var report = ImportReport(dryRun: options.dryRun, layout: parser.layout.kind, encoding: encoding)
        report.rowsRead = rowsRead
        report.validRows = validRows
        report.added = totals.added
        report.changed = totals.changed
        report.unchanged = totals.unchanged
        report.camerasByPurpose = camerasByPurpose
        report.badRowCount = badRowCount
        report.badRows = badRows
        report.warnings = warnings
        report.warningCount = warningCount
        report.ignoredColumns = parser.layout.unknownColumns
        return report
    }
}
