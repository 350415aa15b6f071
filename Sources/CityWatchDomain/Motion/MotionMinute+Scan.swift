extension MotionMinute {
    /// One second of a stored minute that moved in the cells searched for.
    public struct SecondHit: Sendable, Hashable {
        /// The second (whole seconds of the analysis clock).
        public var second: Int64
        /// The most motion among the searched cells (1…255).
        public var strength: UInt8
        /// How many of the searched cells moved (all of them, for a grid of another size).
        public var cells: Int

        public init(second: Int64, strength: UInt8, cells: Int) {
            self.second = second
            self.strength = strength
            self.cells = cells
        }
    }

    /// The seconds of a stored minute (``secondsBytes``) in which any of `cells` moved, read
    /// straight from the bytes: the 16 × 9 grid's bitmap is ANDed with the cells and only their
    /// values are looked at, so nothing is allocated per second. A grid of another size counts
    /// as a whole picture (its strongest cell). Gives the same as decoding with
    /// ``init(minute:secondsBytes:)`` and reading the cells (tested), or throws the same errors.
    public static func scan(minute: Int64, secondsBytes bytes: [UInt8], cells: GridCells, into hits: inout [SecondHit]) throws(DecodingFailure) {
        hits.removeAll(keepingCapacity: true)
        let wanted = cells.words
        var offset = 0
        while offset < bytes.count {
            guard offset + 2 <= bytes.count else { throw .truncated(offset: offset) }
            let second = Int(bytes[offset]), length = Int(bytes[offset + 1])
            guard second < 60 else { throw .badSecond(offset: offset, second: second) }
            let start = offset + 2, end = start + length
            guard end <= bytes.count else { throw .truncated(offset: offset) }
            offset = end
            let strength: UInt8
            var moved = cells.cellCount
            if length >= 20, bytes[start] == 16, bytes[start + 1] == 9 {
                (strength, moved) = try strongest(bytes, bitmap: start + 2, end: end, wanted: wanted, at: offset - length - 2)
            } else {
                // Another grid size: decode it the slow way.
                let grid: MotionGrid
                do { grid = try MotionGrid(bytes: Array(bytes[start..<end]), second: 0) } catch { throw .badGrid(offset: offset - length - 2, error) }
                strength = grid.cells.max() ?? 0
            }
            if strength > 0 { hits.append(SecondHit(second: minute * 60 + Int64(second), strength: strength, cells: moved)) }
        }
    }

    /// The strongest value among the wanted cells of a 16 × 9 grid whose 18-byte bitmap starts
    /// at `bitmap` and whose values run to `end`, and how many of the wanted cells moved.
    private static func strongest(_ bytes: [UInt8], bitmap: Int, end: Int, wanted: [UInt64], at entry: Int)
        throws(DecodingFailure) -> (strongest: UInt8, moved: Int) {
        var words: [UInt64] = [0, 0, 0]
        var marked = 0
        for index in 0..<18 {
            let byte = UInt64(bytes[bitmap + index])
            words[index / 8] |= byte << UInt64((index % 8) * 8)
            marked += byte.nonzeroBitCount
        }
        guard end - bitmap - 18 == marked else {
            throw .badGrid(offset: entry, .valueCountMismatch(marked: marked, values: end - bitmap - 18))
        }
        var strongest: UInt8 = 0
        var moved = 0
        var before = 0  // marked cells in the words already passed
        for word in 0..<3 {
            var hits = words[word] & wanted[word]
            while hits != 0 {
                let bit = hits.trailingZeroBitCount
                let below = (words[word] & ((1 << UInt64(bit)) - 1)).nonzeroBitCount
                let value = bytes[bitmap + 18 + before + below]
                guard value != 0 else { throw .badGrid(offset: entry, .zeroValue(cell: word * 64 + bit)) }
                strongest = max(strongest, value)
                moved += 1
                hits &= hits - 1
            }
            before += words[word].nonzeroBitCount
        }
        return (strongest, moved)
    }
}
