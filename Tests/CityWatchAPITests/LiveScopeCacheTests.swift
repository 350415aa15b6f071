import CityWatchApp
@testable import CityWatchAPI
import Foundation
import Synchronization
import Testing

/// The open live views of one user re-check the user's camera scope from one shared read.
@Suite("Live scope cache")
struct LiveScopeCacheTests {
    final class Loads: Sendable {
        private let count = Mutex(0)
        func load(_ scope: CameraScope) -> CameraScope {
            count.withLock { $0 += 1 }
            return scope
        }
        var value: Int { count.withLock { $0 } }
    }

    @Test func aUsersTilesShareOneScopeReadUntilItIsStale() async throws {
        let cache = LiveScopeCache(lifetime: 25)
        let loads = Loads()
        let (user, other, camera) = (UUID(), UUID(), UUID())
        let start = Date()
        let narrow = CameraScope(allowed: [camera])
        for tile in 0..<16 {
            let scope = try await cache.scope(for: user, now: start.addingTimeInterval(Double(tile))) { loads.load(narrow) }
            #expect(scope.contains(camera))
        }
        #expect(loads.value == 1, "sixteen tiles, one read")
        _ = try await cache.scope(for: other, now: start) { loads.load(.everything) }
        #expect(loads.value == 2, "another user reads their own")
        // The camera left the user's groups: seen once the cached scope is stale.
        let later = try await cache.scope(for: user, now: start.addingTimeInterval(26)) { loads.load(CameraScope(allowed: [])) }
        #expect(!later.contains(camera) && loads.value == 3)
    }
}
