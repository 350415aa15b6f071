import CityWatchDomain
import CityWatchMedia
import PropertyBased
import Testing

/// The runs of seconds a camera-hour keeps per cell must say exactly what its minutes say.
@Suite("Cell runs")
struct CellRunsTests {
    /// A random hour of per-second grids (some of another size), as minutes.
    static func hour(_ random: inout SceneRandom, hourStart: Int64) -> [MotionMinute] {
        var minutes: [MotionMinute] = []
        for minute in 0..<60 where random.next() % 4 != 0 {
            var stored = MotionMinute(minute: hourStart / 60 + Int64(minute))
            for second in 0..<60 where random.next() % 3 != 0 {
                let odd = random.next() % 40 == 0
                var grid = odd ? MotionGrid(second: stored.minute * 60 + Int64(second), columns: 4, rows: 3)
                    : MotionGrid(second: stored.minute * 60 + Int64(second))
                // Blobs that wander, like people: a few neighbouring cells each second.
                let centre = Int(random.next() % UInt64(grid.cells.count))
                for offset in [-17, -16, -1, 0, 1, 16, 17] where random.next() % 2 == 0 {
                    let cell = centre + offset
                    if grid.cells.indices.contains(cell) { grid.cells[cell] = UInt8(1 + random.next() % 255) }
                }
                stored.add(grid)
            }
            minutes.append(stored)
        }
        return minutes
    }

    /// Per second of the hour, how many of `wanted` moved, straight from the grids.
    static func counts(_ minutes: [MotionMinute], wanted: GridCells, hourStart: Int64) -> [Int] {
        var counts = [Int](repeating: 0, count: 3_600)
        for minute in minutes {
            for grid in minute.grids {
                let whole = grid.columns != 16 || grid.rows != 9
                let moved = whole ? (grid.isEmpty ? 0 : wanted.cellCount) : wanted.indices.filter { grid.cells[$0] > 0 }.count
                counts[Int(grid.second - hourStart)] = moved
            }
        }
        return counts
    }

    @Test func piecesSayPerSecondWhatTheGridsSay() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var random = SceneRandom(seed: seed)
            let hourStart: Int64 = 1_790_000_000 / 3_600 * 3_600
            var minutes = Self.hour(&random, hourStart: hourStart)
            // Minutes arrive in any order; the runs do not care.
            minutes.shuffle(using: &random)
            var runs = CellRuns()
            for minute in minutes { minute.addRuns(to: &runs) }
            let stored = runs.bytes
            #expect((try? CellRuns(bytes: stored)) == runs, "seed \(seed): stored runs read back")

            var wanted = GridCells.none
            for _ in 0..<(1 + random.next() % 30) { wanted.insert(Int(random.next() % 144)) }
            let a = Int(random.next() % 3_600), b = Int(random.next() % 3_601)
            let within = min(a, b)..<max(a, b)
            var pieces: [CellRuns.Piece] = []
            var changes: [Int32] = []
            try? CellRuns.pieces(in: stored, wanted: wanted, within: within, into: &pieces, changes: &changes)

            var fromPieces = [Int](repeating: 0, count: 3_600)
            for piece in pieces {
                for second in piece.seconds { fromPieces[second] = piece.cells }
            }
            var expected = Self.counts(minutes, wanted: wanted, hourStart: hourStart)
            for second in expected.indices where !within.contains(second) { expected[second] = 0 }
            #expect(fromPieces == expected, "seed \(seed)")
            // As long as possible: neighbours differ in count or leave a gap.
            for (left, right) in zip(pieces, pieces.dropFirst()) {
                #expect(left.seconds.upperBound < right.seconds.lowerBound || left.cells != right.cells, "seed \(seed)")
            }
        }
    }

    @Test func runsJoinWhateverOrderTheyArriveIn() {
        var runs = CellRuns()
        var cell = GridCells.none
        cell.insert(20)
        runs.add(cell, seconds: 10..<12)
        runs.add(cell, seconds: 30..<31)
        runs.add(cell, seconds: 0..<2)
        runs.add(cell, seconds: 12..<13)
        runs.add(cell, seconds: 5..<31)
        runs.add(cell, seconds: 3_590..<4_000)
        #expect(runs.cells[20] == [0..<2, 5..<31, 3_590..<3_600])
        #expect(runs.moved == cell)
        var other = CellRuns()
        other.add(cell, seconds: 2..<5)
        runs.formUnion(other)
        #expect(runs.cells[20] == [0..<31, 3_590..<3_600])
    }

    @Test func damagedBytesAreRefusedNotMisread() {
        var runs = CellRuns()
        var cells = GridCells.none
        cells.insert(7)
        cells.insert(9)
        runs.add(cells, seconds: 100..<200)
        let bytes = runs.bytes
        #expect(throws: CellRuns.DecodingFailure.truncated(offset: 8)) { try CellRuns(bytes: Array(bytes.dropLast())) }
        #expect(throws: CellRuns.DecodingFailure.unknownVersion(2)) { try CellRuns(bytes: [2] + bytes.dropFirst()) }
        // Cell 9 written before cell 7.
        #expect(throws: CellRuns.DecodingFailure.badCell(offset: 8, cell: 7)) { try CellRuns(bytes: [1] + bytes[8...] + bytes[1..<8]) }
        // A run that ends after the hour.
        var late = bytes
        late[6] = 0x11
        late[7] = 0x0E
        #expect(throws: CellRuns.DecodingFailure.badRun(offset: 4, start: 100, end: 3_601)) { try CellRuns(bytes: late) }
        #expect((try? CellRuns(bytes: [])) == CellRuns())
    }
}
