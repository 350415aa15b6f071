import Foundation
import Synchronization

/// Which things (an event's snapshot, an alarm's pictures) each signed-in session has already
/// looked at, so that looking is audit-logged once per viewing session and not once per image:
/// a console that redraws an event's snapshot every few seconds writes one audit line, not
/// hundreds.
///
/// Per node and in memory: another node (or this one after a restart) writes the line again,
/// which errs on the side of more audit, never less. Bounded: entries older than ``lifetime``
/// (a session's longest life) go, and past ``capacity`` the oldest go first.
final class ViewingSessions: Sendable {
    private struct Key: Hashable {
        var session: UUID
        var item: String
    }

    private let seen = Mutex<[Key: Date]>([:])
    let lifetime: TimeInterval
    let capacity: Int

    init(lifetime: TimeInterval = 12 * 3600, capacity: Int = 100_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// True the first time `session` views `item` (within ``lifetime``); the caller audits then.
    func firstView(session: UUID, item: String, now: Date) -> Bool {
        seen.withLock { table in
            let key = Key(session: session, item: item)
            if let at = table[key], now.timeIntervalSince(at) < lifetime { return false }
            if table.count >= capacity {
                table = table.filter { now.timeIntervalSince($0.value) < lifetime }
                if table.count >= capacity {
                    for (old, _) in table.sorted(by: { $0.value < $1.value }).prefix(capacity / 4) { table[old] = nil }
                }
            }
            table[key] = now
            return true
        }
    }

    /// Takes back a first view whose audit line could not be written: the next view audits.
    func unmark(session: UUID, item: String) {
        _ = seen.withLock { $0.removeValue(forKey: Key(session: session, item: item)) }
    }

    /// Forgets `session`'s views (it was signed out): a new session audits again.
    func forget(session: UUID) {
        seen.withLock { table in table = table.filter { $0.key.session != session } }
    }
}
