/// Slows down password guessing: counts failed logins per user name and per client address
/// and answers how long a new attempt must wait.
///
/// A pure state machine: the caller passes the time in and keeps the value behind a lock.
/// After `maxFailures` failures inside `window` seconds a key is locked for `baseLockout`
/// seconds, doubling with each further failure up to `maxLockout`. A success clears the user's
/// count (not the address's, so one good password does not reset a spray from that address).
public struct LoginThrottle: Sendable {
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

    private struct Entry: Sendable {
        var failures: Int
        var windowStart: Double
        var lockedUntil: Double
    }

    public let userPolicy: Policy
    public let addressPolicy: Policy
    /// At most this many keys are remembered; the oldest are forgotten first.
    public let capacity: Int
    private var users: [String: Entry] = [:]
    private var addresses: [String: Entry] = [:]

    public init(userPolicy: Policy = .perUser, addressPolicy: Policy = .perAddress, capacity: Int = 100_000) {
        self.userPolicy = userPolicy
        self.addressPolicy = addressPolicy
        self.capacity = capacity
    }

    /// Seconds to wait before `user` may try again from `address`, or nil when allowed now.
    public func retryAfter(user: String, address: String, now: Double) -> Double? {
        let waits = [users[user.lowercased()], addresses[address]].compactMap { entry -> Double? in
            guard let entry, entry.lockedUntil > now else { return nil }
            return entry.lockedUntil - now
        }
        return waits.max()
    }

    /// Counts a failed attempt.
    public mutating func recordFailure(user: String, address: String, now: Double) {
        Self.count(&users, key: user.lowercased(), policy: userPolicy, now: now)
        Self.count(&addresses, key: address, policy: addressPolicy, now: now)
        if users.count + addresses.count > capacity { forgetExpired(now: now) }
    }

    /// Clears the user's failures after a successful login.
    public mutating func recordSuccess(user: String, now: Double) {
        users[user.lowercased()] = nil
    }

    private static func count(_ table: inout [String: Entry], key: String, policy: Policy, now: Double) {
        var entry = table[key] ?? Entry(failures: 0, windowStart: now, lockedUntil: 0)
        if now - entry.windowStart > policy.window && entry.lockedUntil <= now {
            entry = Entry(failures: 0, windowStart: now, lockedUntil: 0)
        }
        entry.failures += 1
        if entry.failures >= policy.maxFailures {
            let doublings = min(entry.failures - policy.maxFailures, 30)
            let lockout = min(policy.baseLockout * Double(1 << doublings), policy.maxLockout)
            entry.lockedUntil = now + lockout
        }
        table[key] = entry
    }

    private mutating func forgetExpired(now: Double) {
        let window = max(userPolicy.window, addressPolicy.window)
        users = users.filter { $0.value.lockedUntil > now || now - $0.value.windowStart <= window }
        addresses = addresses.filter { $0.value.lockedUntil > now || now - $0.value.windowStart <= window }
        // Still full: an attack from very many addresses; forget the oldest windows.
        while users.count + addresses.count > capacity {
            if let oldest = addresses.min(by: { $0.value.windowStart < $1.value.windowStart }), addresses.count >= users.count {
                addresses[oldest.key] = nil
            } else if let oldest = users.min(by: { $0.value.windowStart < $1.value.windowStart }) {
                users[oldest.key] = nil
            } else { break }
        }
    }
}
