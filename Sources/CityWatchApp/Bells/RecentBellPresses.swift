import CityWatchDomain
import Foundation
import Synchronization

/// The presses (bell, nonce) this process took in the last few minutes: a replay is refused
/// here, in memory, before the press waits for any write. That lets a press put its cameras on
/// the wall before it is stored — on SQLite a registry import or a busy recorder may hold the
/// store's one write lock for a moment, and a bell must not wait behind it. A press is signed
/// for ``BellPressRules/maximumSkew`` seconds either side of its time, so a nonce kept twice
/// that long (and a little more) outlives every replay of it; the stored press row (unique per
/// bell and nonce) stays the lasting check and the one other nodes share.
final class RecentBellPresses: Sendable {
    private struct Key: Hashable {
        var bell: UUID
        var nonce: String
    }

    private let kept: TimeInterval
    private let taken = Mutex<[Key: Date]>([:])

    init(keptFor kept: TimeInterval = Double(2 * BellPressRules.maximumSkew + 60)) {
        self.kept = kept
    }

    /// Takes `nonce` of `bell` at `now`; false when it was taken already (a replay).
    func claim(bell: UUID, nonce: String, now: Date) -> Bool {
        taken.withLock { taken in
            if taken.count > 1_000 { taken = taken.filter { now.timeIntervalSince($0.value) < kept } }
            let key = Key(bell: bell, nonce: nonce)
            if let at = taken[key], now.timeIntervalSince(at) < kept { return false }
            taken[key] = now
            return true
        }
    }

    /// Gives a claim back: the press was not kept, so the bell's retry of it must be taken.
    func release(bell: UUID, nonce: String) {
        _ = taken.withLock { $0.removeValue(forKey: Key(bell: bell, nonce: nonce)) }
    }
}
