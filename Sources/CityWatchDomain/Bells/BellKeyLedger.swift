/// Which rows of one bell file become bells, in file order: the first row of each key
/// (``BellRecord/key``), and never a later one, which nothing would tell apart from it. A
/// repeated 안전비상벨관리번호 under different 관리번호 is two bells, imported with a warning.
public struct BellKeyLedger: Sendable {
    /// What becomes of one row.
    public enum Admission: Equatable, Sendable {
        case admitted
        /// Imported, with something to look at.
        case admittedWithWarning(BellRowWarning)
        /// Not imported: its key repeats an earlier row's.
        case refused(BellRowError)
    }

    private var keyLines: [String: Int] = [:]
    private var numberLines: [String: Int] = [:]

    public init() {}

    /// Decides on the valid row `record` read at `line`.
    public mutating func admit(_ record: BellRecord, line: Int) -> Admission {
        if let first = keyLines[record.key] {
            return .refused(.duplicateKey(record.key, column: record.rowKey.isEmpty ? .managementNumber : .rowKey, firstLine: first))
        }
        keyLines[record.key] = line
        guard !record.managementNumber.isEmpty else { return .admitted }
        if let first = numberLines[record.managementNumber] {
            return .admittedWithWarning(.repeatedManagementNumber(record.managementNumber, firstLine: first))
        }
        numberLines[record.managementNumber] = line
        return .admitted
    }
}
