import CityWatchDomain

/// What a bell import did: counts, and every bad row with its line and reason.
public struct BellImportReport: Sendable, Codable, Equatable {
    public var encoding: RegistryTextEncoding
    /// Rows read after the header, good and bad.
    public var rowsRead = 0
    public var validRows = 0
    public var added = 0
    public var changed = 0
    public var unchanged = 0
    /// Bells in the registry after the import.
    public var bells = 0
    public var badRowCount = 0
    /// The first ``ImportReport/badRowLimit`` bad rows (all of them go to the import's callback).
    public var badRows: [ImportReport.BadRow] = []
    /// Rows imported with something to look at (a 안전비상벨관리번호 another bell has too).
    public var warningCount = 0
    /// The first ``ImportReport/badRowLimit`` of them.
    public var warnings: [ImportReport.BadRow] = []
    /// Bells keyed by their 안전비상벨관리번호 that the file's 관리번호 now keys (``BellRekeying``):
    /// they keep their id, secret, presses and drill windows, and answer to the old key too.
    public var rekeyed = 0
    /// Header cells that are not bell columns (their values are ignored).
    public var ignoredColumns: [String] = []
    /// True when nothing was written: the counts say what the import would have done.
    public var dryRun = false
    /// Bells in the registry that no row of the file names (good or bad).
    public var missing = 0
    /// The first ``ImportReport/badRowLimit`` of them, by key (``BellRecord/key``).
    public var missingKeys: [String] = []
    /// Bells removed because `prune` was asked for (0 without it).
    public var pruned = 0
    /// Why `prune` was asked for and not done, if so.
    public var pruneRefused: String?

    public init(encoding: RegistryTextEncoding) {
        self.encoding = encoding
    }

    mutating func recordBadRow(_ row: ImportReport.BadRow, to sink: ((ImportReport.BadRow) -> Void)? = nil) {
        sink?(row)
        badRowCount += 1
        if badRows.count < ImportReport.badRowLimit { badRows.append(row) }
    }

    mutating func recordWarning(_ row: ImportReport.BadRow) {
        warningCount += 1
        if warnings.count < ImportReport.badRowLimit { warnings.append(row) }
    }
}
