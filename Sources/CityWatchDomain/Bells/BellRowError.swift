/// Why one row of a bell file was not imported. The import goes on with the next row.
public enum BellRowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither 관리번호 nor 안전비상벨관리번호 is filled in: the row could never be updated by a
    /// later import, nor pressed.
    case missingManagementNumber
    /// The bell's key (``BellRecord/key``) was already imported from `firstLine` of this file:
    /// a repeated 관리번호 (`column` ``BellColumn/rowKey``), or, in a row without one, a
    /// 안전비상벨관리번호 already used as a key — two bells that nothing tells apart.
    case duplicateKey(String, column: BellColumn, firstLine: Int)
    /// A problem any registry row can have, worded as for the camera registry: wrong field
    /// count, empty or non-numeric coordinates (the bell standard names them WGS84위도 and
    /// WGS84경도 too), a position outside the bounds, undecodable text, an unreadable row.
    case row(RegistryRowError)

    public var description: String {
        switch self {
        case .missingManagementNumber:
            "\(BellColumn.managementNumber.standardName) (management number) is empty and so is \(BellColumn.rowKey.standardName)"
        case let .duplicateKey(key, .rowKey, firstLine):
            "\(BellColumn.rowKey.standardName) '\(key.prefix(40))' repeats line \(firstLine); the first row is kept"
        case let .duplicateKey(key, column, firstLine):
            "\(column.standardName) '\(key.prefix(40))' repeats the key of line \(firstLine) and this row has no \(BellColumn.rowKey.standardName) "
                + "to tell the two bells apart; the first row is kept"
        case .row(let error):
            error.description
        }
    }
}
