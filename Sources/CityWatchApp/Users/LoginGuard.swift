import CityWatchDomain
import Foundation
import Synchronization

/// The process's login throttle behind a lock (see ``LoginThrottle`` for the rules).
public final class LoginGuard: Sendable {
    private let throttle: Mutex<LoginThrottle>

    public init(throttle: LoginThrottle = LoginThrottle()) {
        self.throttle = Mutex(throttle)
    }

    /// Seconds to wait, or nil when an attempt is allowed now.
    public func retryAfter(user: String, address: String, now: Date) -> Double? {
        throttle.withLock { $0.retryAfter(user: user, address: address, now: now.timeIntervalSince1970) }
    }

    public func recordFailure(user: String, address: String, now: Date) {
        throttle.withLock { $0.recordFailure(user: user, address: address, now: now.timeIntervalSince1970) }
    }

    public func recordSuccess(user: String, now: Date) {
        throttle.withLock { $0.recordSuccess(user: user, now: now.timeIntervalSince1970) }
    }
}
