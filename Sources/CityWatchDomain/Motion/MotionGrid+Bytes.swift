/// The compact storage form of a ``MotionGrid``: `[columns, rows]`, then a bitmap of the cells
/// that saw motion (one bit per cell, row-major, least significant bit first), then the value
/// of each of those cells in order. The second is the row's key, not part of the bytes.
extension MotionGrid {
    /// Why stored bytes are not a motion grid.
    public enum DecodingFailure: Error, Sendable, Hashable {
        /// Fewer bytes than the header and bitmap need.
        case tooShort(count: Int)
        /// A grid size of zero cells.
        case emptySize(columns: Int, rows: Int)
        /// The bitmap marks `marked` cells but `values` values follow it.
        case valueCountMismatch(marked: Int, values: Int)
        /// A cell marked as moving has the value 0.
        case zeroValue(cell: Int)
    }

    /// The grid in its compact form.
    public var bytes: [UInt8] {
        let bitmapCount = (cells.count + 7) / 8
        var result = [UInt8](repeating: 0, count: 2 + bitmapCount)
        result[0] = UInt8(columns)
        result[1] = UInt8(rows)
        for (cell, value) in cells.enumerated() where value != 0 {
            result[2 + cell / 8] |= 1 << UInt8(cell % 8)
            result.append(value)
        }
        return result
    }

    /// The grid of `second` stored as `bytes`.
    public init(bytes: [UInt8], second: Int64) throws(DecodingFailure) {
        guard bytes.count >= 2 else { throw .tooShort(count: bytes.count) }
        let columns = Int(bytes[0]), rows = Int(bytes[1])
        guard columns > 0, rows > 0 else { throw .emptySize(columns: columns, rows: rows) }
        let cellCount = columns * rows
        let bitmapCount = (cellCount + 7) / 8
        guard bytes.count >= 2 + bitmapCount else { throw .tooShort(count: bytes.count) }
        var marked = 0
        for cell in 0..<cellCount where bytes[2 + cell / 8] & (1 << UInt8(cell % 8)) != 0 { marked += 1 }
        let values = bytes.count - 2 - bitmapCount
        guard values == marked else { throw .valueCountMismatch(marked: marked, values: values) }
        var grid = MotionGrid(second: second, columns: columns, rows: rows)
        var next = 2 + bitmapCount
        for cell in 0..<cellCount where bytes[2 + cell / 8] & (1 << UInt8(cell % 8)) != 0 {
            guard bytes[next] != 0 else { throw .zeroValue(cell: cell) }
            grid.cells[cell] = bytes[next]
            next += 1
        }
        self = grid
    }
}
