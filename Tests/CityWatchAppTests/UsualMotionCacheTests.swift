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
        let reads = ReadCount()
        let camera = UUID()
        func ask(_ minute: Int64, seconds: Int) async throws -> [[UUID: Int]] {
            try await cache.days(minute: minute) {
                reads.add()
                return [[camera: seconds]]
            }
        }
        #expect(try await ask(100, seconds: 20) == [[camera: 20]])
        #expect(try await ask(100, seconds: 99) == [[camera: 20]], "the same minute answers from the cache")
        #expect(reads.value == 1)
        #expect(try await ask(101, seconds: 30) == [[camera: 30]], "a new minute reads again")
        #expect(reads.value == 2)
        // A failed read is not cached: the next ask tries again.
        await #expect(throws: CancellationError.self) { try await cache.days(minute: 102) { throw CancellationError() } }
        #expect(try await ask(102, seconds: 40) == [[camera: 40]] && reads.value == 3)
    }

    @Test func wallsAskingAtOnceShareOneRead() async throws {
        let cache = UsualMotionCache()
        let reads = ReadCount()
        let camera = UUID()
        let answers = try await withThrowingTaskGroup(of: [[UUID: Int]].self) { group in
            for wall in 0..<8 {
                group.addTask {
                    try await cache.days(minute: 200) {
                        reads.add()
                        // The read is slow enough that every wall asks while it runs.
                        try await Task.sleep(for: .milliseconds(200))
                        return [[camera: wall]]
                    }
                }
            }
            return try await group.reduce(into: [[[UUID: Int]]]()) { $0.append($1) }
        }
        #expect(reads.value == 1, "one read for eight walls")
        #expect(Set(answers.map { $0[0][camera] ?? -1 }).count == 1, "every wall got that read's answer")
    }
}

/// How many times a load ran (loads are escaping closures, run as tasks).
final class ReadCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
