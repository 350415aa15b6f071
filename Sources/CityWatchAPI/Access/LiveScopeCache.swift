import CityWatchApp
import Foundation
import Synchronization

/// Each user's camera scope as the open live views re-check it, worked out at most once per
/// ``lifetime`` per user: a wall of sixteen tiles asks sixteen times, and restricted users'
/// scopes cost a group read and a pass over the registry each.
final class LiveScopeCache: Sendable {
    private let entries = Mutex<[UUID: (scope: CameraScope, until: Date)]>([:])
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 25) {
        self.lifetime = lifetime
    }

    /// User `id`'s scope: cached while fresh, else from `load` (and kept).
    func scope(for id: UUID, now: Date, load: () async throws -> CameraScope) async throws -> CameraScope {
        if let fresh = entries.withLock({ table in table[id].flatMap { $0.until > now ? $0.scope : nil } }) { return fresh }
        let scope = try await load()
        entries.withLock { table in
            table = table.filter { $0.value.until > now }
            table[id] = (scope, now.addingTimeInterval(lifetime))
        }
        return scope
    }
}
