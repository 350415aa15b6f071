/// Something about a bell row that was imported but deserves a look.
public enum BellRowWarning: Equatable, Sendable, CustomStringConvertible {
    /// 안전비상벨관리번호 is the same as on `firstLine`. Installers number their own bells, so real
    /// city files repeat it; the rows differ in 관리번호, so both bells are kept.
    case repeatedManagementNumber(String, firstLine: Int)

    public var description: String {
        switch self {
        case let .repeatedManagementNumber(number, firstLine):
            "\(BellColumn.managementNumber.standardName) '\(number.prefix(40))' also names the bell of line \(firstLine) "
                + "(installers number their own bells); both are kept, told apart by \(BellColumn.rowKey.standardName)"
        }
    }
}
