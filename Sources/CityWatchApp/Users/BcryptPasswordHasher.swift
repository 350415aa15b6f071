import NIOPosix
import Vapor

/// bcrypt hashing off the event loops: a hash at cost 12 takes a few hundred milliseconds of
/// CPU, which must not stall request handling.
public struct BcryptPasswordHasher: Sendable {
    public let cost: Int
    let pool: NIOThreadPool

    public init(cost: Int, pool: NIOThreadPool) {
        self.cost = cost
        self.pool = pool
    }

    /// A bcrypt hash of `password`.
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await pool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    /// True when `password` matches `hash`.
    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await pool.runIfActive { (try? Bcrypt.verify(password, created: hash)) ?? false }
    }
}
