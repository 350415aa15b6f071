import CityWatchAnalytics
import CityWatchDomain
import Foundation
import Testing

@Suite("Motion grid")
struct MotionGridTests {
    @Test func accumulatorKeepsEachCellsLargestShareOverTheSecond() throws {
        var accumulator = MotionGridAccumulator(width: 320, height: 180)   // 20×20 px cells
        var mask = [UInt8](repeating: 0, count: 320 * 180)
        // Frame 1: a quarter of cell (0, 0); frame 2: all of cell (15, 8) and one pixel of (5, 4).
        for row in 0..<10 { for column in 0..<10 { mask[row * 320 + column] = 1 } }
        #expect(mask.withUnsafeBufferPointer { accumulator.add($0, time: 100.0) } == nil)
        mask = [UInt8](repeating: 0, count: 320 * 180)
        for row in 160..<180 { for column in 300..<320 { mask[row * 320 + column] = 1 } }
        mask[85 * 320 + 105] = 1
        #expect(mask.withUnsafeBufferPointer { accumulator.add($0, time: 100.5) } == nil)
        let empty = [UInt8](repeating: 0, count: 320 * 180)
        let grid = try #require(empty.withUnsafeBufferPointer { accumulator.add($0, time: 101.0) })
        #expect(grid.second == 100)
        #expect(grid[0, 0] == 64 && grid[15, 8] == 255 && grid[5, 4] == 1 && grid[1, 0] == 0)
        #expect(grid.strongest(left: 0.9, top: 0.9, right: 1, bottom: 1) == 255)
        #expect(grid.strongest(left: 0.3, top: 0, right: 0.6, bottom: 0.4) == 0)
        // Second 101 saw nothing: it is never handed back.
        #expect(accumulator.finish() == nil)
    }

    @Test func bytesRoundTripAndStayCompact() throws {
        var grid = MotionGrid(second: 1_700_000_000)
        grid[3, 2] = 200
        grid[4, 2] = 17
        let bytes = grid.bytes
        #expect(bytes.count == 2 + 18 + 2)
        #expect(try MotionGrid(bytes: bytes, second: grid.second) == grid)
        #expect(MotionGrid(second: 0).bytes.count == 20)
    }

    @Test func corruptBytesAreRefusedWithTheReason() {
        #expect(throws: MotionGrid.DecodingFailure.tooShort(count: 1)) { try MotionGrid(bytes: [16], second: 0) }
        #expect(throws: MotionGrid.DecodingFailure.emptySize(columns: 0, rows: 9)) { try MotionGrid(bytes: [0, 9], second: 0) }
        var bytes = MotionGrid(second: 0).bytes
        bytes[2] = 0b1
        #expect(throws: MotionGrid.DecodingFailure.valueCountMismatch(marked: 1, values: 0)) { try MotionGrid(bytes: bytes, second: 0) }
    }

    @Test func codableCarriesTheSecondAndTheCompactBytes() throws {
        var grid = MotionGrid(second: 42)
        grid[0, 0] = 9
        let json = try JSONEncoder().encode(grid)
        #expect(String(decoding: json, as: UTF8.self).contains("\"second\":42"))
        #expect(try JSONDecoder().decode(MotionGrid.self, from: json) == grid)
    }
}
