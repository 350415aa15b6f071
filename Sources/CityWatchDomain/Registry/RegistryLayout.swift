/// Where each registry column sits in one file, read from its header row.
public struct RegistryLayout: Sendable, Equatable {
    /// Which national layout the header matches.
    public enum Kind: String, Sendable, Codable {
        /// The 13-column layout (관리기관명 … 데이터기준일자), e.g. Gangnam 2017.
        case legacy13
        /// The current 18-column layout that starts with 개방자치단체코드, 관리번호.
        case current18
    }

    /// Why a header row is not a registry header.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// No known column at all: not a CCTV registry (or the wrong encoding).
        case notARegistryHeader(found: [String])
        /// Some required columns are missing.
        case missingColumns([RegistryColumn], found: [String])
        /// A column appears twice.
        case repeatedColumn(RegistryColumn)

        public var description: String {
            switch self {
            case .notARegistryHeader(let found):
                return "line 1 is not a CCTV registry header: expected columns such as 관리기관명, 설치목적구분, 카메라대수, 위도, 경도; found \(Self.list(found))"
            case let .missingColumns(missing, found):
                return "the header lacks required column(s) \(missing.map(\.standardName).joined(separator: ", ")); found \(Self.list(found))"
            case .repeatedColumn(let column):
                return "the header names column \(column.standardName) twice"
            }
        }

        private static func list(_ names: [String]) -> String {
            let shown = names.prefix(20).map { "'\(String($0.prefix(40)))'" }.joined(separator: ", ")
            return names.isEmpty ? "nothing" : shown + (names.count > 20 ? ", …" : "")
        }
    }

    /// The layout the header matches.
    public let kind: Kind
    /// Number of columns in the header; every row must have this many.
    public let width: Int
    /// The field index of each recognised column.
    public let index: [RegistryColumn: Int]
    /// Header cells that are not registry columns; their values are ignored.
    public let unknownColumns: [String]

    /// Reads a header row.
    public init(header: [String]) throws(Problem) {
        var index: [RegistryColumn: Int] = [:]
        var unknown: [String] = []
        for (position, cell) in header.enumerated() {
            guard let column = RegistryColumn(header: cell) else {
                if !cell.isEmpty { unknown.append(cell) }
                continue
            }
            guard index[column] == nil else { throw .repeatedColumn(column) }
            index[column] = position
        }
        guard !index.isEmpty else { throw .notARegistryHeader(found: header) }
        let missing = RegistryColumn.required.filter { index[$0] == nil }
        guard missing.isEmpty else { throw .missingColumns(missing, found: header) }
        self.index = index
        self.width = header.count
        self.unknownColumns = unknown
        self.kind = index[.managementNumber] != nil ? .current18 : .legacy13
    }
}
