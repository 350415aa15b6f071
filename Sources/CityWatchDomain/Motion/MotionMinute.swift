/// A camera-minute of motion grids as the store keeps it: a summary grid (per cell, the most
/// motion of any second) for skipping quiet minutes, and the grids of the seconds that moved.
///
/// Stored form of the seconds: for each grid, one byte for its second within the minute
/// (0…59), one byte for the length of its ``MotionGrid/bytes``, then those bytes.
public struct MotionMinute: Sendable, Hashable {
    /// Minutes since 1970 (UTC).
    public let minute: Int64
    /// The grids of the seconds with motion, in order.
    public private(set) var grids: [MotionGrid] = []

    public init(minute: Int64) {
        self.minute = minute
    }

    /// Adds the grid of a second of this minute (ignored when it belongs to another minute).
    public mutating func add(_ grid: MotionGrid) {
        guard grid.second.floorDivided(by: 60) == minute else { return }
        grids.append(grid)
    }

    /// Adds `other`'s seconds (of the same minute): a second in both keeps, per cell, the larger
    /// value (the first grid, when the two differ in size). Seconds stay in order.
    public mutating func merge(_ other: MotionMinute) {
        guard other.minute == minute, !other.grids.isEmpty else { return }
        var bySecond = Dictionary(grids.map { ($0.second, $0) }, uniquingKeysWith: { first, _ in first })
        for grid in other.grids {
            guard var known = bySecond[grid.second] else {
                bySecond[grid.second] = grid
                continue
            }
            if known.cells.count == grid.cells.count {
                for cell in known.cells.indices where grid.cells[cell] > known.cells[cell] { known.cells[cell] = grid.cells[cell] }
                bySecond[grid.second] = known
            }
        }
        grids = bySecond.keys.sorted().map { bySecond[$0]! }
    }

    /// Per cell, the most motion of any second; nil for a minute with no grid.
    public var summary: MotionGrid? {
        guard var result = grids.first else { return nil }
        result.second = minute * 60
        for grid in grids.dropFirst() where grid.cells.count == result.cells.count {
            for cell in grid.cells.indices where grid.cells[cell] > result.cells[cell] { result.cells[cell] = grid.cells[cell] }
        }
        return result
    }

    /// The stored form of the seconds.
    public var secondsBytes: [UInt8] {
        var bytes: [UInt8] = []
        for grid in grids {
            let encoded = grid.bytes
            bytes.append(UInt8(grid.second - minute * 60))
            bytes.append(UInt8(encoded.count))
            bytes.append(contentsOf: encoded)
        }
        return bytes
    }

    /// Why stored seconds cannot be read.
    public enum DecodingFailure: Error, Sendable, Hashable {
        /// The bytes end inside an entry that starts at `offset`.
        case truncated(offset: Int)
        /// An entry names a second outside 0…59.
        case badSecond(offset: Int, second: Int)
        /// An entry's grid bytes are not a grid.
        case badGrid(offset: Int, MotionGrid.DecodingFailure)
    }

    /// The minute stored as `secondsBytes`.
    public init(minute: Int64, secondsBytes bytes: [UInt8]) throws(DecodingFailure) {
        self.minute = minute
        var offset = 0
        while offset < bytes.count {
            guard offset + 2 <= bytes.count else { throw .truncated(offset: offset) }
            let second = Int(bytes[offset]), length = Int(bytes[offset + 1])
            guard second < 60 else { throw .badSecond(offset: offset, second: second) }
            guard offset + 2 + length <= bytes.count else { throw .truncated(offset: offset) }
            do {
                grids.append(try MotionGrid(bytes: Array(bytes[(offset + 2)..<(offset + 2 + length)]), second: minute * 60 + Int64(second)))
            } catch {
                throw .badGrid(offset: offset, error)
            }
            offset += 2 + length
        }
    }
}

extension Int64 {
    /// Division rounding towards minus infinity (seconds before 1970 belong to earlier minutes).
    public func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
