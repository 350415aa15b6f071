import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// The login throttle's counts in the store (`login_throttle`), shared by every node of a
/// cluster: a guesser spreading attempts over the nodes meets one count.
///
/// Each attempt takes its slot in one short transaction that no other login's reservation runs
/// beside (``Database/lockedTransaction(_:_:)``), before any password is hashed.
public struct LoginThrottleStore: Sendable {
    static let table = "login_throttle"
    /// The lock every reservation of the cluster takes in turn (held for two reads and two writes).
    static let lockKey = "citywatch.login-throttle"

    let database: any Database
    let userPolicy: LoginThrottle.Policy
    let addressPolicy: LoginThrottle.Policy

    public init(database: any Database, userPolicy: LoginThrottle.Policy = .perUser, addressPolicy: LoginThrottle.Policy = .perAddress) {
        self.database = database
        self.userPolicy = userPolicy
        self.addressPolicy = addressPolicy
    }

    /// Takes a slot for `user` from `address`: nil when the attempt may check its password (the
    /// slot is counted as a failure until ``succeeded(user:address:now:)`` refunds it), else the
    /// seconds to wait (nothing counted).
    public func reserve(user: String, address: String, now: Date) async throws -> Double? {
        let time = now.timeIntervalSince1970
        let userPolicy = userPolicy, addressPolicy = addressPolicy
        return try await database.lockedTransaction(Self.lockKey) { tx in
            var user = try await Self.entry(.user, user, on: tx)
            var address = try await Self.entry(.address, address, on: tx)
            if let wait = [user.entry.wait(now: time), address.entry.wait(now: time)].compactMap({ $0 }).max() { return wait }
            user.entry.charge(userPolicy, now: time)
            address.entry.charge(addressPolicy, now: time)
            try await Self.store([user, address], on: tx)
            return nil
        }
    }

    /// The attempt whose slot was taken succeeded: the user's count is cleared and the address
    /// gets its slot back.
    public func succeeded(user: String, address: String, now: Date) async throws {
        let addressPolicy = addressPolicy
        try await database.lockedTransaction(Self.lockKey) { tx in
            try await tx.sql.delete(from: Self.table).where("scope", .equal, Scope.user.rawValue).where("key", .equal, user).run()
            var address = try await Self.entry(.address, address, on: tx)
            address.entry.refund(addressPolicy)
            try await Self.store([address], on: tx)
        }
    }

    /// Forgets the counts that no longer matter (run now and then; a spray from many addresses
    /// leaves a row per address).
    public func forgetStale(now: Date) async throws {
        let time = now.timeIntervalSince1970
        let window = max(userPolicy.window, addressPolicy.window)
        try await database.sql.delete(from: Self.table)
            .where("locked_until", .lessThanOrEqual, time).where("window_start", .lessThan, time - window).run()
    }

    enum Scope: String {
        case user, address
    }

    struct Keyed {
        var scope: Scope
        var key: String
        var entry: LoginThrottle.Entry
    }

    static func entry(_ scope: Scope, _ key: String, on database: any Database) async throws -> Keyed {
        let row = try await database.sql.select().columns("failures", "window_start", "locked_until").from(table)
            .where("scope", .equal, scope.rawValue).where("key", .equal, key).first()
        let entry = try row.map {
            LoginThrottle.Entry(failures: try $0.decode(column: "failures", as: Int.self),
                                windowStart: try $0.decode(column: "window_start", as: Double.self),
                                lockedUntil: try $0.decode(column: "locked_until", as: Double.self))
        }
        return Keyed(scope: scope, key: key, entry: entry ?? LoginThrottle.Entry())
    }

    static func store(_ entries: [Keyed], on database: any Database) async throws {
        for keyed in entries {
            try await database.sql.insert(into: table)
                .columns("scope", "key", "failures", "window_start", "locked_until")
                .values(SQLBind(keyed.scope.rawValue), SQLBind(keyed.key), SQLBind(keyed.entry.failures),
                        SQLBind(keyed.entry.windowStart), SQLBind(keyed.entry.lockedUntil))
                .onConflict(with: ["scope", "key"]) {
                    $0.set(excludedValueOf: "failures").set(excludedValueOf: "window_start").set(excludedValueOf: "locked_until")
                }
                .run()
        }
    }
}

/// Creates `login_throttle`: one row per user name or client address with recent failures.
struct CreateLoginThrottle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginThrottleStore.table)
            .field("scope", .string, .required)
            .field("key", .string, .required)
            .field("failures", .int, .required)
            .field("window_start", .double, .required)
            .field("locked_until", .double, .required)
            .unique(on: "scope", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginThrottleStore.table).delete()
    }
}
