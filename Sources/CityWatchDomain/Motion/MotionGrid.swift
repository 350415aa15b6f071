/// Where a camera saw motion during one second, coarsely: the picture cut into `columns` ×
/// `rows` cells, one byte per cell for the largest share of its pixels that were foreground in
/// any frame of that second (0 = none, 255 = all; any motion at all gives at least 1).
///
/// Smart search reads these instead of video ("motion in this region between 2 and 3 pm").
/// Stored as ``bytes``: seconds without motion are not stored at all, and a busy second of a
/// 16×9 grid costs 20 bytes plus one per moving cell.
public struct MotionGrid: Sendable, Hashable, Codable {
    /// The second it covers (whole seconds of the analysis clock, e.g. Unix time).
    public var second: Int64
    /// Cells across.
    public let columns: Int
    /// Cells down.
    public let rows: Int
    /// `columns × rows` values, top row first.
    public var cells: [UInt8]

    /// An empty grid.
    public init(second: Int64, columns: Int = 16, rows: Int = 9) {
        precondition(columns > 0 && rows > 0 && columns <= 255 && rows <= 255, "grid of 1…255 cells each way")
        self.second = second
        self.columns = columns
        self.rows = rows
        self.cells = [UInt8](repeating: 0, count: columns * rows)
    }

    /// The value of the cell at `column`, `row`.
    public subscript(column: Int, row: Int) -> UInt8 {
        get { cells[row * columns + column] }
        set { cells[row * columns + column] = newValue }
    }

    /// True when no cell saw motion.
    public var isEmpty: Bool { cells.allSatisfy { $0 == 0 } }

    /// The largest value among the cells that overlap the rectangle of the picture from
    /// (`left`, `top`) to (`right`, `bottom`), in fractions of its width and height.
    public func strongest(left: Double, top: Double, right: Double, bottom: Double) -> UInt8 {
        let firstColumn = max(0, min(columns - 1, Int(left * Double(columns))))
        let lastColumn = max(firstColumn, min(columns - 1, Int((right * Double(columns)).rounded(.up)) - 1))
        let firstRow = max(0, min(rows - 1, Int(top * Double(rows))))
        let lastRow = max(firstRow, min(rows - 1, Int((bottom * Double(rows)).rounded(.up)) - 1))
        var strongest: UInt8 = 0
        for row in firstRow...lastRow {
            for column in firstColumn...lastColumn { strongest = max(strongest, self[column, row]) }
        }
        return strongest
    }

    private enum CodingKeys: String, CodingKey { case second, grid }

    /// Encodes as `{"second": …, "grid": [compact bytes]}` (see ``bytes``).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(second, forKey: .second)
        try container.encode(bytes, forKey: .grid)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let second = try container.decode(Int64.self, forKey: .second)
        let bytes = try container.decode([UInt8].self, forKey: .grid)
        do {
            self = try MotionGrid(bytes: bytes, second: second)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .grid, in: container, debugDescription: "\(error)")
        }
    }
}
