import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia
import PropertyBased
import Testing

/// Search reads stored minutes without decoding them into grids; it must find what decoding finds.
@Suite("Motion minute scan")
struct MotionMinuteScanTests {
    @Test func scanningTheBytesFindsWhatDecodingFinds() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var random = SceneRandom(seed: seed)
            var minute = MotionMinute(minute: 29_000_000)
            for second in 0..<60 where random.next() % 3 == 0 {
                var grid = MotionGrid(second: 29_000_000 * 60 + Int64(second))
                for cell in grid.cells.indices where random.next() % 5 == 0 { grid.cells[cell] = UInt8(1 + random.next() % 255) }
                if !grid.isEmpty { minute.add(grid) }
            }
            var cells = GridCells.none
            for _ in 0..<(random.next() % 20) { cells.insert(Int(random.next() % 144)) }
            var hits: [MotionMinute.SecondHit] = []
            try? MotionMinute.scan(minute: minute.minute, secondsBytes: minute.secondsBytes, cells: cells, into: &hits)
            let decoded = try? MotionMinute(minute: minute.minute, secondsBytes: minute.secondsBytes)
            let expected = (decoded?.grids ?? []).compactMap { grid -> MotionMinute.SecondHit? in
                let strongest = cells.indices.map { grid.cells[$0] }.max() ?? 0
                let moved = cells.indices.filter { grid.cells[$0] > 0 }.count
                return strongest > 0 ? MotionMinute.SecondHit(second: grid.second, strength: strongest, cells: moved) : nil
            }
            #expect(hits == expected, "seed \(seed)")
        }
    }

    @Test func damagedBytesAreRefusedNotMisread() {
        var minute = MotionMinute(minute: 5)
        var grid = MotionGrid(second: 300)
        grid.cells[3] = 9
        minute.add(grid)
        var bytes = minute.secondsBytes
        var hits: [MotionMinute.SecondHit] = []
        bytes.removeLast()
        #expect(throws: MotionMinute.DecodingFailure.self) { try MotionMinute.scan(minute: 5, secondsBytes: bytes, cells: .all, into: &hits) }
        #expect(throws: MotionMinute.DecodingFailure.self) { try MotionMinute.scan(minute: 5, secondsBytes: [61, 0], cells: .all, into: &hits) }
    }
}
