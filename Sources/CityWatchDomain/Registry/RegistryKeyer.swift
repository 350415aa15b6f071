/// Gives each record of one file its registry key, numbering repeated base keys.
///
/// A legacy-layout file may list the same pole twice (Gangnam's 2017 file has two such rows);
/// both are real rows with their own cameras, so the second becomes `…#2`. A repeated 관리번호
/// in the current layout, on the other hand, is an error in the file: the first row wins and
/// the repeat is reported with the line of the first.
///
/// Memory: one 64-bit hash and one line number per distinct key, so about 24 bytes per row
/// for a million-row file.
public struct RegistryKeyer: Sendable {
    private var seen: [Int: (count: Int, firstLine: Int)] = [:]

    public init() {}

    /// What became of one record.
    public enum Outcome: Equatable, Sendable {
        /// The record's key.
        case key(String)
        /// The record repeats a 관리번호 first seen on `firstLine`.
        case duplicateManagementNumber(String, firstLine: Int)
    }

    /// Assigns the key of `record`, read at `line`.
    public mutating func key(for record: RegistryRecord, line: Int) -> Outcome {
        let base = record.baseKey
        var hasher = Hasher()
        hasher.combine(base)
        let hash = hasher.finalize()
        let previous = seen[hash]
        if !record.managementNumber.isEmpty, let previous {
            return .duplicateManagementNumber(record.managementNumber, firstLine: previous.firstLine)
        }
        let occurrence = (previous?.count ?? 0) + 1
        seen[hash] = (occurrence, previous?.firstLine ?? line)
        return .key(occurrence == 1 ? base : "\(base)#\(occurrence)")
    }
}
