/// Refused anonymous requests (bell presses, share tokens, partner messages, throttled logins)
/// counted per client, so that a flood of junk neither writes an audit row per request nor gets
/// the server's full attention.
///
/// Per client, channel and kind of refusal (a bad signature, an unknown token), the first of a
/// window is audited in full; the rest are counted and audited as one summary when the window
/// closes (``closeWindows(now:force:)``). Each kind an attacker tries is thus on record in full.
/// Per client over every channel, more than `throttleAfter` refusals in a window lock the client
/// for `lockout` seconds: channels that may (not bells) answer 429 without checking anything.
/// A pure state machine: the caller passes the time in and keeps the value behind a lock.
public struct RefusalLedger: Sendable {
    public struct Policy: Sendable, Equatable {
        /// Seconds a window lasts from its first refusal.
        public var window: Double
        /// Refusals by one client in a window after which it is locked.
        public var throttleAfter: Int
        /// Seconds a locked client waits.
        public var lockout: Double
        /// Windows kept open at most; the oldest are summarised early beyond it.
        public var capacity: Int

        public init(window: Double = 60, throttleAfter: Int = 30, lockout: Double = 60, capacity: Int = 10_000) {
            self.window = window
            self.throttleAfter = throttleAfter
            self.lockout = lockout
            self.capacity = capacity
        }
    }

    /// What to do with one refusal.
    public enum Verdict: Sendable, Equatable {
        /// The window's first: audit it in full.
        case audit
        /// Counted into the window's summary.
        case counted
    }

    /// The refusals of one client, channel and kind in a window of which only the first was
    /// audited one by one.
    public struct Summary: Sendable, Equatable {
        public var channel: String
        public var client: String
        public var kind: String
        public var first: Double
        public var last: Double
        /// Every refusal of the window, the audited first one included.
        public var refusals: Int
    }

    struct Key: Hashable {
        var channel: String
        var client: String
        var kind: String
    }

    struct Window {
        var start: Double
        var last: Double
        var refusals: Int
    }

    struct Client {
        var start: Double
        var refusals: Int
        var lockedUntil: Double
    }

    public let policy: Policy
    private var windows: [Key: Window] = [:]
    private var clients: [String: Client] = [:]
    /// Summaries of windows that ran out and were reopened before they were collected.
    private var pending: [Summary] = []

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Seconds `client` must wait before it is heard again, or nil.
    public func retryAfter(client: String, now: Double) -> Double? {
        guard let entry = clients[client], entry.lockedUntil > now else { return nil }
        return entry.lockedUntil - now
    }

    /// Counts a refusal of `client` on `channel` of `kind`.
    public mutating func refused(channel: String, client: String, kind: String, now: Double) -> Verdict {
        // Between collections a spray from very many addresses could grow the tables without
        // end: past twice the capacity, the oldest windows are summarised early.
        if windows.count >= 2 * policy.capacity { pending += evictOldest(now: now) }
        var entry = clients[client] ?? Client(start: now, refusals: 0, lockedUntil: 0)
        if now - entry.start > policy.window && entry.lockedUntil <= now { entry = Client(start: now, refusals: 0, lockedUntil: 0) }
        entry.refusals += 1
        if entry.refusals > policy.throttleAfter { entry.lockedUntil = now + policy.lockout }
        clients[client] = entry

        let key = Key(channel: channel, client: client, kind: kind)
        guard var window = windows[key], now - window.start <= policy.window else {
            // A window that ran out is summarised by the next `closeWindows`; this opens anew.
            if windows[key] != nil { pending.append(contentsOf: summary(key, windows[key]!)) }
            windows[key] = Window(start: now, last: now, refusals: 1)
            return .audit
        }
        window.refusals += 1
        window.last = now
        windows[key] = window
        return .counted
    }

    /// The summaries of every window that has ended by `now` (all of them with `force`, as at
    /// shutdown, and the oldest beyond ``Policy/capacity``), forgetting them. Windows whose only
    /// refusal was audited need no summary.
    public mutating func closeWindows(now: Double, force: Bool = false) -> [Summary] {
        var closed = pending
        pending = []
        let ended = windows.filter { force || now - $0.value.start > policy.window }
        for (key, window) in ended {
            closed += summary(key, window)
            windows[key] = nil
        }
        closed += evictOldest(now: now)
        return closed.sorted { ($0.first, $0.channel, $0.client, $0.kind) < ($1.first, $1.channel, $1.client, $1.kind) }
    }

    /// Forgets the oldest windows and clients beyond the capacity; the windows' summaries.
    private mutating func evictOldest(now: Double) -> [Summary] {
        var closed: [Summary] = []
        if windows.count > policy.capacity {
            for (key, window) in windows.sorted(by: { $0.value.start < $1.value.start }).prefix(windows.count - policy.capacity) {
                closed += summary(key, window)
                windows[key] = nil
            }
        }
        clients = clients.filter { $0.value.lockedUntil > now || now - $0.value.start <= policy.window }
        if clients.count > policy.capacity {
            // Still too many: keep the locked ones and the newest.
            let keep = clients.sorted { ($0.value.lockedUntil, $0.value.start) > ($1.value.lockedUntil, $1.value.start) }.prefix(policy.capacity)
            clients = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
        return closed
    }

    private func summary(_ key: Key, _ window: Window) -> [Summary] {
        guard window.refusals > 1 else { return [] }
        return [Summary(channel: key.channel, client: key.client, kind: key.kind, first: window.start, last: window.last,
                        refusals: window.refusals)]
    }
}
