/// Where each bell column sits in one file, read from its header row: columns in any order,
/// unknown ones ignored, required ones checked.
public struct BellLayout: Sendable, Equatable {
    /// Why a header row is not a bell-data header.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// No known column at all: not bell data (or the wrong encoding).
        case notABellHeader(found: [String])
        /// Some required columns are missing.
        case missingColumns([BellColumn], found: [String])
        /// A column appears twice.
        case repeatedColumn(BellColumn)

        public var description: String {
            switch self {
            case .notABellHeader(let found):
                return "line 1 is not an emergency-bell header: expected columns such as 안전비상벨관리번호, WGS84위도, WGS84경도; found \(Self.list(found))"
            case let .missingColumns(missing, found):
                return "the header lacks required column(s) \(missing.map(\.standardName).joined(separator: ", ")); found \(Self.list(found))"
            case .repeatedColumn(let column):
                return "the header names column \(column.standardName) twice"
            }
        }

        private static func list(_ names: [String]) -> String {
            let shown = names.prefix(24).map { "'\(String($0.prefix(40)))'" }.joined(separator: ", ")
            return names.isEmpty ? "nothing" : shown + (names.count > 24 ? ", …" : "")
        }
    }

    /// Number of cells in the header; every row must have this many.
    public let width: Int
    /// The field index of each recognised column.
    public let index: [BellColumn: Int]
    /// Header cells that are not bell columns; their values are ignored.
    public let unknownColumns: [String]

    /// Reads a header row.
    public init(header: [String]) throws(Problem) {
        var index: [BellColumn: Int] = [:]
        var unknown: [String] = []
        for (position, cell) in header.enumerated() {
            guard let column = BellColumn(header: cell) else {
                if !cell.isEmpty { unknown.append(cell) }
                continue
            }
            guard index[column] == nil else { throw .repeatedColumn(column) }
            index[column] = position
        }
        guard !index.isEmpty else { throw .notABellHeader(found: header) }
        let missing = BellColumn.required.filter { index[$0] == nil }
        guard missing.isEmpty else { throw .missingColumns(missing, found: header) }
        self.index = index
        self.width = header.count
        self.unknownColumns = unknown
    }
}
