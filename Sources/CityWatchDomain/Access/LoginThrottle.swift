/// Slows down password guessing: failed logins are counted per user name and per client
/// address, and a key with too many is locked for a while.
///
/// Pure rules over one key's ``Entry``; the store keeps the entries, so every node of a cluster
/// shares the counts (`LoginGuard`). An attempt takes its slot *before* the password is hashed:
/// it is counted as a failure up front and refunded when it succeeds. Thirty guesses sent at
/// once therefore meet a lock after the fifth, instead of all reaching bcrypt before the first
/// failure is counted.
///
/// After `maxFailures` failures inside `window` seconds a key is locked for `baseLockout`
/// seconds, doubling with each further failure up to `maxLockout`. A success clears the
/// user's count and refunds the address its slot (one good password does not reset a spray
/// from that address).
public enum LoginThrottle {
    /// Limits for one kind of key.
    public struct Policy: Sendable, Equatable {
        public var maxFailures: Int
        public var window: Double
        public var baseLockout: Double
        public var maxLockout: Double

        public init(maxFailures: Int, window: Double, baseLockout: Double, maxLockout: Double) {
            self.maxFailures = maxFailures
            self.window = window
            self.baseLockout = baseLockout
            self.maxLockout = maxLockout
        }

        /// Five wrong passwords for one user in 15 minutes lock it for 30 s, then 60 s, … 15 min.
        public static let perUser = Policy(maxFailures: 5, window: 900, baseLockout: 30, maxLockout: 900)
        /// Twenty failures from one address in 15 minutes lock the address the same way.
        public static let perAddress = Policy(maxFailures: 20, window: 900, baseLockout: 30, maxLockout: 900)
    }

    /// One key's count (times in seconds since 1970).
    public struct Entry: Sendable, Equatable {
        public var failures: Int
        public var windowStart: Double
        public var lockedUntil: Double

        public init(failures: Int = 0, windowStart: Double = 0, lockedUntil: Double = 0) {
            self.failures = failures
            self.windowStart = windowStart
            self.lockedUntil = lockedUntil
        }

        /// Seconds to wait, or nil when an attempt may go ahead at `now`.
        public func wait(now: Double) -> Double? {
            lockedUntil > now ? lockedUntil - now : nil
        }

        /// Counts an attempt as a failure (a slot taken before the password is checked).
        public mutating func charge(_ policy: Policy, now: Double) {
            if now - windowStart > policy.window && lockedUntil <= now {
                self = Entry(failures: 0, windowStart: now, lockedUntil: 0)
            }
            failures += 1
            if failures >= policy.maxFailures {
                let doublings = min(failures - policy.maxFailures, 30)
                lockedUntil = max(lockedUntil, now + min(policy.baseLockout * Double(1 << doublings), policy.maxLockout))
            }
        }

        /// Gives back the slot of an attempt that succeeded; the lock it alone caused goes too.
        public mutating func refund(_ policy: Policy) {
            failures = max(failures - 1, 0)
            if failures < policy.maxFailures { lockedUntil = 0 }
        }

        /// True when the entry no longer matters at `now` and may be forgotten.
        public func isStale(_ policy: Policy, now: Double) -> Bool {
            lockedUntil <= now && now - windowStart > policy.window
        }
    }
}
