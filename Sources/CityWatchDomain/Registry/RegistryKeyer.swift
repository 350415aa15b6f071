/// Gives each record of one file its registry key, numbering repeated base keys.
///
/// A legacy-layout file may list the same pole twice (Gangnam's 2017 file has two such rows);
/// both are real rows with their own cameras, so the second becomes `…#2`. A repeated 관리번호
/// in the current layout is numbered the same way, and flagged so the import can warn about
/// it: two rows are never merged and never dropped.
///
/// Memory: one 64-bit hash and one line number per distinct key, so about 24 bytes per row
/// for a million-row file.
public struct RegistryKeyer: Sendable {
    private var seen: [Int: (count: Int, firstLine: Int)] = [:]

    public init() {}

    /// What became of one record.
    public struct Outcome: Equatable, Sendable {
        /// The record's key.
        public var key: String
        /// For a repeated 관리번호: the line where it was first seen.
        public var repeatsManagementNumberOfLine: Int?

        public init(key: String, repeatsManagementNumberOfLine: Int?) {
            self.key = key
            self.repeatsManagementNumberOfLine = repeatsManagementNumberOfLine
        }
    }

    /// Assigns the key of `record`, read at `line`.
    public mutating func key(for record: RegistryRecord, line: Int) -> Outcome {
        let base = record.baseKey
        var hasher = Hasher()
        hasher.combine(base)
        let hash = hasher.finalize()
        let previous = seen[hash]
        let occurrence = (previous?.count ?? 0) + 1
        seen[hash] = (occurrence, previous?.firstLine ?? line)
        let repeated = record.managementNumber.isEmpty ? nil : previous?.firstLine
        return Outcome(key: occurrence == 1 ? base : "\(base)#\(occurrence)", repeatsManagementNumberOfLine: repeated)
    }
}
