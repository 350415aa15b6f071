import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation
import Synchronization

/// The login throttle (see ``LoginThrottle`` for the rules), counted in the store so that every
/// node of a cluster shares the counts (``LoginThrottleStore``).
public final class LoginGuard: Sendable {
    public let userPolicy: LoginThrottle.Policy
    public let addressPolicy: LoginThrottle.Policy
    /// Reservations since the last clean-up of stale counts.
    private let sinceCleanUp = Mutex(0)
    /// Stale counts are forgotten once per this many reservations.
    static let cleanUpEvery = 256

    public init(userPolicy: LoginThrottle.Policy = .perUser, addressPolicy: LoginThrottle.Policy = .perAddress) {
        self.userPolicy = userPolicy
        self.addressPolicy = addressPolicy
    }

    func store(_ database: any Database) -> LoginThrottleStore {
        LoginThrottleStore(database: database, userPolicy: userPolicy, addressPolicy: addressPolicy)
    }

    /// Takes an attempt's slot before its password is hashed: nil to go ahead, else the seconds
    /// to wait.
    public func reserve(user: String, address: String, now: Date, on database: any Database) async throws -> Double? {
        let cleanUp = sinceCleanUp.withLock { count in
            count += 1
            guard count >= Self.cleanUpEvery else { return false }
            count = 0
            return true
        }
        if cleanUp { try await store(database).forgetStale(now: now) }
        return try await store(database).reserve(user: user, address: address, now: now)
    }

    /// The attempt succeeded: the user's failures are cleared, the address's slot refunded.
    public func succeeded(user: String, address: String, now: Date, on database: any Database) async throws {
        try await store(database).succeeded(user: user, address: address, now: now)
    }
}
