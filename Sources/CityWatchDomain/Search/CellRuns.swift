/// The seconds of one camera-hour in which each cell of the search grid moved, as runs of
/// consecutive seconds: the hour's motion grids turned on their side. A search for motion in a
/// region reads one of these a camera-hour and looks only at the region's cells, instead of
/// reading every second of every minute.
///
/// Stored form (``bytes``): a version byte (1), then for each cell that moved, in cell order,
/// the cell (one byte), how many runs it has (two bytes, little-endian) and each run as its
/// first second and the second after its last (two bytes each, 0…3600 within the hour). Runs
/// of a cell are in order and neither overlap nor touch.
public struct CellRuns: Sendable, Hashable {
    public static let secondsPerHour = 3_600
    static let version: UInt8 = 1

    /// Per cell of ``GridCells`` (144), its runs of seconds within the hour, in order.
    public private(set) var cells: [[Range<Int>]]

    /// No motion.
    public init() {
        cells = Array(repeating: [], count: GridCells.count)
    }

    public var isEmpty: Bool { cells.allSatisfy(\.isEmpty) }

    /// Every cell that moved at some second.
    public var moved: GridCells {
        var moved = GridCells.none
        for cell in cells.indices where !cells[cell].isEmpty { moved.insert(cell) }
        return moved
    }

    /// Marks `moved` as moving during `seconds` (seconds of the hour, clamped to 0…3600).
    public mutating func add(_ moved: GridCells, seconds: Range<Int>) {
        let run = max(0, seconds.lowerBound)..<min(Self.secondsPerHour, max(0, seconds.upperBound))
        guard !run.isEmpty else { return }
        for word in 0..<3 {
            var bits = moved.words[word]
            while bits != 0 {
                let cell = word * 64 + bits.trailingZeroBitCount
                bits &= bits - 1
                if cell < GridCells.count { Self.insert(run, into: &cells[cell]) }
            }
        }
    }

    /// Adds every run of `other`.
    public mutating func formUnion(_ other: CellRuns) {
        for cell in other.cells.indices {
            for run in other.cells[cell] { Self.insert(run, into: &cells[cell]) }
        }
    }

    /// Puts `run` into the ordered, disjoint, non-touching `runs`, joining what it overlaps or
    /// touches. Runs arrive in order almost always, so the end is tried first.
    static func insert(_ run: Range<Int>, into runs: inout [Range<Int>]) {
        guard let last = runs.last, run.lowerBound <= last.upperBound else {
            runs.append(run)
            return
        }
        if run.lowerBound >= last.lowerBound {
            runs[runs.count - 1] = last.lowerBound..<max(last.upperBound, run.upperBound)
            return
        }
        // Out of order: join every run that overlaps or touches it.
        let first = runs.firstIndex { $0.upperBound >= run.lowerBound } ?? runs.count
        var end = first
        var joined = run
        while end < runs.count, runs[end].lowerBound <= joined.upperBound {
            joined = min(joined.lowerBound, runs[end].lowerBound)..<max(joined.upperBound, runs[end].upperBound)
            end += 1
        }
        runs.replaceSubrange(first..<end, with: [joined])
    }

    // MARK: Stored form

    /// Why stored bytes are not cell runs.
    public enum DecodingFailure: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownVersion(UInt8)
        /// The bytes end inside the entry starting at `offset`.
        case truncated(offset: Int)
        /// A cell outside the grid, or not after the one before it.
        case badCell(offset: Int, cell: Int)
        /// A run outside the hour, empty, or not after the run before it.
        case badRun(offset: Int, start: Int, end: Int)

        public var description: String {
            switch self {
            case .unknownVersion(let version): "cell runs of unknown version \(version)"
            case .truncated(let offset): "cell runs end inside the entry at byte \(offset)"
            case .badCell(let offset, let cell): "cell runs name cell \(cell) at byte \(offset), outside the grid or out of order"
            case .badRun(let offset, let start, let end): "cell runs hold run \(start)..<\(end) at byte \(offset), outside the hour or out of order"
            }
        }
    }

    /// The stored form.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = [Self.version]
        for cell in cells.indices where !cells[cell].isEmpty {
            let runs = cells[cell]
            bytes.append(UInt8(cell))
            Self.append(UInt16(runs.count), to: &bytes)
            for run in runs {
                Self.append(UInt16(run.lowerBound), to: &bytes)
                Self.append(UInt16(run.upperBound), to: &bytes)
            }
        }
        return bytes
    }

    /// Runs read back from ``bytes``; an empty array is no motion.
    public init(bytes: [UInt8]) throws(DecodingFailure) {
        self.init()
        try Self.walk(bytes) { cell, start, end in cells[cell].append(start..<end) }
    }

    private static func append(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value & 0xFF))
        bytes.append(UInt8(value >> 8))
    }

    /// Checks `bytes` and hands every run of every cell that `wanted` holds (nil: every cell)
    /// to `body`, in cell order, skipping the other cells' runs unread.
    static func walk(_ bytes: [UInt8], wanted: GridCells? = nil, _ body: (Int, Int, Int) throws(DecodingFailure) -> Void) throws(DecodingFailure) {
        guard let version = bytes.first else { return }
        guard version == Self.version else { throw .unknownVersion(version) }
        var offset = 1
        var previousCell = -1
        while offset < bytes.count {
            guard offset + 3 <= bytes.count else { throw .truncated(offset: offset) }
            let cell = Int(bytes[offset])
            let count = Int(bytes[offset + 1]) | Int(bytes[offset + 2]) << 8
            guard cell < GridCells.count, cell > previousCell, count > 0 else { throw .badCell(offset: offset, cell: cell) }
            let end = offset + 3 + 4 * count
            guard end <= bytes.count else { throw .truncated(offset: offset) }
            if wanted?.contains(cell) ?? true {
                var previousEnd = -1
                for index in 0..<count {
                    let at = offset + 3 + 4 * index
                    let start = Int(bytes[at]) | Int(bytes[at + 1]) << 8
                    let stop = Int(bytes[at + 2]) | Int(bytes[at + 3]) << 8
                    guard start > previousEnd, start < stop, stop <= secondsPerHour else { throw .badRun(offset: at, start: start, end: stop) }
                    try body(cell, start, stop)
                    previousEnd = stop
                }
            }
            previousCell = cell
            offset = end
        }
    }

    // MARK: Searching

    /// A stretch of seconds of the hour in which the same number of the searched cells moved.
    public struct Piece: Sendable, Hashable {
        public var seconds: Range<Int>
        /// How many of the searched cells moved in each of those seconds (at least 1).
        public var cells: Int

        public init(seconds: Range<Int>, cells: Int) {
            self.seconds = seconds
            self.cells = cells
        }
    }

    /// The stretches of `seconds` (of the hour) in which any cell of `wanted` moved, in order,
    /// each as long as possible, read straight from stored ``bytes``: only the wanted cells'
    /// runs are looked at. `changes` is scratch space kept between calls (no sorting: each run
    /// adds one where it starts and takes one away where it ends, then the hour is swept once).
    public static func pieces(in bytes: [UInt8], wanted: GridCells, within seconds: Range<Int>, into pieces: inout [Piece],
                              changes: inout [Int32]) throws(DecodingFailure) {
        pieces.removeAll(keepingCapacity: true)
        if changes.count != secondsPerHour + 1 { changes = [Int32](repeating: 0, count: secondsPerHour + 1) }
        var first = secondsPerHour, last = 0
        try walk(bytes, wanted: wanted) { _, start, end in
            let from = max(start, seconds.lowerBound), to = min(end, seconds.upperBound)
            guard from < to else { return }
            changes[from] += 1
            changes[to] -= 1
            first = min(first, from)
            last = max(last, to)
        }
        guard first < last else { return }
        var moving: Int32 = 0
        for second in first..<last {
            let change = changes[second]
            changes[second] = 0
            guard change != 0 else { continue }
            if moving > 0 { close(at: second, moving: Int(moving), into: &pieces) }
            moving += change
            if moving > 0 { pieces.append(Piece(seconds: second..<second, cells: Int(moving))) }
        }
        changes[last] = 0
        if moving > 0 { close(at: last, moving: Int(moving), into: &pieces) }
    }

    /// Ends the open piece at `second`, joining it to the one before when they touch with the same count.
    private static func close(at second: Int, moving: Int, into pieces: inout [Piece]) {
        let open = pieces.removeLast()
        let piece = Piece(seconds: open.seconds.lowerBound..<second, cells: moving)
        if let previous = pieces.last, previous.seconds.upperBound == piece.seconds.lowerBound, previous.cells == piece.cells {
            pieces[pieces.count - 1].seconds = previous.seconds.lowerBound..<second
        } else {
            pieces.append(piece)
        }
    }
}
