import Foundation
import Synchronization

/// Signed-in users by session token, remembered for a few seconds so that a busy console does
/// not cost two database reads per request.
///
/// Changes made through this server (logout, password, role, disabling) clear the cache at
/// once; a change made elsewhere (another node, the command line) takes effect within
/// ``lifetime``.
final class SessionCache: Sendable {
    private let entries = Mutex<[String: (user: SignedInUser, until: Date)]>([:])
    let lifetime: TimeInterval
    let capacity: Int

    init(lifetime: TimeInterval = 5, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The cached user of `token`, if still fresh.
    func user(for token: String, now: Date) -> SignedInUser? {
        entries.withLock { table in
            guard let entry = table[token] else { return nil }
            guard entry.until > now else {
                table[token] = nil
                return nil
            }
            return entry.user
        }
    }

    /// Remembers the user of `token`.
    func remember(_ user: SignedInUser, for token: String, now: Date) {
        entries.withLock { table in
            if table.count >= capacity { table = table.filter { $0.value.until > now } }
            if table.count >= capacity { table.removeAll() }
            table[token] = (user, now.addingTimeInterval(lifetime))
        }
    }

    /// Forgets everything (after any change to users or sessions).
    func clear() {
        entries.withLock { $0.removeAll() }
    }
}
