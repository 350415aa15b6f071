import Foundation
import Logging
import PostgresKit
import PostgresNIO

/// Runs the migrations of nodes that start together one after another: the first takes a
/// session advisory lock on a connection of its own, migrates and lets go; the others wait for
/// the lock and find nothing left to do.
public enum MigrationLock {
    /// The advisory lock's key ("cwmigrat").
    static let key: Int64 = 0x6377_6D69_6772_6174

    /// Runs `body` holding the cluster's migration lock on the PostgreSQL server at `url`.
    public static func whileHeld<T: Sendable>(url: String, logger: Logger, _ body: () async throws -> T) async throws -> T {
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 2, logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_lock(\(key))", logger: logger)
            let result = try await body()
            try await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
            try await connection.close()
            return result
        } catch {
            // Closing the session lets go of its lock.
            try? await connection.close()
            throw error
        }
    }
}
