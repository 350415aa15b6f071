import CityWatchDomain

/// What an import did (or, for a dry run, would do).
public struct ImportReport: Sendable, Codable, Equatable {
    /// One row that was not imported.
    public struct BadRow: Sendable, Codable, Equatable {
        public var line: Int
        public var reason: String
    }

    public var dryRun: Bool
    public var layout: RegistryLayout.Kind
    public var encoding: RegistryTextEncoding
    /// Rows read after the header, good and bad.
    public var rowsRead = 0
    public var validRows = 0
    /// Sites and cameras in the registry after the import.
    public var sites = 0
    public var cameras = 0
    public var added = 0
    public var changed = 0
    public var unchanged = 0
    /// Sites in the registry that the file does not hold.
    public var missing = 0
    /// Sites removed because `--prune` was given.
    public var pruned = 0
    /// Cameras of the file's valid rows by purpose code.
    public var camerasByPurpose: [String: Int] = [:]
    public var badRowCount = 0
    /// The first ``ImportReport/badRowLimit`` bad rows.
    public var badRows: [BadRow] = []
    /// Rows that were imported but deserve a look (a repeated 관리번호), first 200.
    public var warnings: [BadRow] = []
    public var warningCount = 0
    /// Header cells that are not registry columns (their values are ignored).
    public var ignoredColumns: [String] = []

    /// How many bad rows the report itself carries; all of them go to the import's callback.
    public static let badRowLimit = 200

    public init(dryRun: Bool, layout: RegistryLayout.Kind, encoding: RegistryTextEncoding) {
        self.dryRun = dryRun
        self.layout = layout
        self.encoding = encoding
    }

    mutating func recordBadRow(_ row: BadRow) {
        badRowCount += 1
        if badRows.count < Self.badRowLimit { badRows.append(row) }
    }
}
