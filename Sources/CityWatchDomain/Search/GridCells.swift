/// A set of cells of the search grid: the picture cut into 16 × 9 cells (the motion grid's
/// layout), as 144 bits in three words — the form the search index stores per minute, hour and
/// track, so a database can skip rows with one bitwise AND.
///
/// Cell (`column`, `row`) covers x ∈ [column/16, (column+1)/16] and y ∈ [row/9, (row+1)/9] of the
/// picture, edges included; bit `row × 16 + column` stands for it.
public struct GridCells: Sendable, Hashable, Codable {
    public static let columns = 16
    public static let rows = 9
    public static let count = columns * rows

    /// Bits 0–63, 64–127 and 128–143.
    public private(set) var words: [UInt64]

    /// No cell.
    public static let none = GridCells(words: [0, 0, 0])
    /// Every cell (also what a row whose cells are unknown stores: it is never skipped).
    public static let all = GridCells(words: [.max, .max, (1 << 16) - 1])

    public init(words: [UInt64]) {
        precondition(words.count == 3, "three words of cells")
        self.words = words
    }

    /// The cells whose bits are set in the stored signed words (the database keeps Int64).
    public init(stored: (Int64, Int64, Int64)) {
        self.init(words: [UInt64(bitPattern: stored.0), UInt64(bitPattern: stored.1), UInt64(bitPattern: stored.2)])
    }

    /// The words as the database stores them.
    public var stored: (Int64, Int64, Int64) {
        (Int64(bitPattern: words[0]), Int64(bitPattern: words[1]), Int64(bitPattern: words[2]))
    }

    /// Cells of a 16 × 9 grid whose value is at least `threshold` (`values` top row first); a
    /// grid of another size gives ``all``, which never wrongly skips it.
    public init(values: [UInt8], threshold: UInt8 = 1) {
        guard values.count == Self.count else {
            self = .all
            return
        }
        self = .none
        for index in values.indices where values[index] >= max(1, threshold) { insert(index) }
    }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// How many cells are in the set.
    public var cellCount: Int { words[0].nonzeroBitCount + words[1].nonzeroBitCount + words[2].nonzeroBitCount }

    public func contains(_ index: Int) -> Bool {
        guard (0..<Self.count).contains(index) else { return false }
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    public mutating func insert(_ index: Int) {
        guard (0..<Self.count).contains(index) else { return }
        words[index >> 6] |= 1 << UInt64(index & 63)
    }

    public func union(_ other: GridCells) -> GridCells {
        GridCells(words: [words[0] | other.words[0], words[1] | other.words[1], words[2] | other.words[2]])
    }

    public func intersects(_ other: GridCells) -> Bool {
        words[0] & other.words[0] != 0 || words[1] & other.words[1] != 0 || words[2] & other.words[2] != 0
    }

    /// The cell indices in the set, in order.
    public var indices: [Int] { (0..<Self.count).filter(contains) }


    /// The index of the cell holding `point` (points on the right or bottom edge of the picture
    /// belong to the last cell).
    public static func cell(of point: ImagePoint) -> Int {
        let column = max(0, min(columns - 1, Int(point.x * Double(columns))))
        let row = max(0, min(rows - 1, Int(point.y * Double(rows))))
        return row * columns + column
    }

    /// The rectangle of cell `index`: left, top, right, bottom in picture fractions.
    static func rectangle(of index: Int) -> (left: Double, top: Double, right: Double, bottom: Double) {
        let column = Double(index % columns), row = Double(index / columns)
        return (column / Double(columns), row / Double(rows), (column + 1) / Double(columns), (row + 1) / Double(rows))
    }
}
