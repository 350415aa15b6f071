/// Why one row of a bell file was not imported. The import goes on with the next row.
public enum BellRowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 안전비상벨관리번호 is empty: the row could never be updated by a later import.
    case missingManagementNumber
    /// The same 안전비상벨관리번호 was already imported from `firstLine` of this file.
    case duplicateManagementNumber(String, firstLine: Int)
    /// A problem any registry row can have, worded as for the camera registry: wrong field
    /// count, empty or non-numeric coordinates (the bell standard names them WGS84위도 and
    /// WGS84경도 too), a position outside the bounds, undecodable text, an unreadable row.
    case row(RegistryRowError)

    public var description: String {
        switch self {
        case .missingManagementNumber:
            "\(BellColumn.managementNumber.standardName) (management number) is empty"
        case let .duplicateManagementNumber(number, firstLine):
            "\(BellColumn.managementNumber.standardName) '\(number.prefix(40))' repeats line \(firstLine); the first row is kept"
        case .row(let error):
            error.description
        }
    }
}
