import CityWatchApp
import Foundation
import Synchronization
import Testing

/// Every console's wall asks for selective monitoring every 15 s; the past week's motion is read
/// once a minute, not once per ask.
@Suite("Usual motion cache")
struct UsualMotionCacheTests {
    @Test func theWeekIsReadOncePerMinuteAndAgainWhenTheMinuteChanges() async throws {
        let cache = UsualMotionCache()
        let reads = Mutex(0)
        let camera = UUID()
        func ask(_ minute: Int64, seconds: Int) async throws -> [[UUID: Int]] {
            try await cache.days(minute: minute) {
                reads.withLock { $0 += 1 }
                return [[camera: seconds]]
            }
        }
        #expect(try await ask(100, seconds: 20) == [[camera: 20]])
        #expect(try await ask(100, seconds: 99) == [[camera: 20]], "the same minute answers from the cache")
        #expect(reads.withLock { $0 } == 1)
        #expect(try await ask(101, seconds: 30) == [[camera: 30]], "a new minute reads again")
        #expect(reads.withLock { $0 } == 2)
        // A failed read is not cached: the next ask tries again.
        await #expect(throws: CancellationError.self) { try await cache.days(minute: 102) { throw CancellationError() } }
        #expect(try await ask(102, seconds: 40) == [[camera: 40]] && reads.withLock { $0 } == 3)
    }
}
