import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import PostgresKit
import SQLKit

extension DatabaseID {
    /// The one database CityWatch uses.
    public static let cityWatch = DatabaseID(string: "citywatch")
    /// On SQLite, the same file through connections of their own that only read: the driver
    /// keeps one connection per event loop, and a read queued behind a write waiting for the
    /// file's one write lock (a registry import in another process) waited with it. A bell
    /// press reads through these. Not registered on PostgreSQL (its pool has room).
    public static let cityWatchReader = DatabaseID(string: "citywatch-read")
}

extension Databases {
    /// Registers the CityWatch database at `location` as the default database.
    ///
    /// For SQLite the parent folder is created; the write-ahead log and the busy handler of the
    /// driver let several connections share the file.
    public func useCityWatch(_ location: DatabaseLocation, sqlLogLevel: Logger.Level = .debug) throws {
        switch location {
        case .sqlite(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            use(.sqlite(.file(path), connectionPoolTimeout: .seconds(30), sqlLogLevel: sqlLogLevel), as: .cityWatch, isDefault: true)
            use(.sqlite(.file(path), connectionPoolTimeout: .seconds(30), sqlLogLevel: sqlLogLevel), as: .cityWatchReader, isDefault: false)
        case .postgres(let url):
            let configuration = try SQLPostgresConfiguration(url: url)
            use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30), sqlLogLevel: sqlLogLevel),
                as: .cityWatch, isDefault: true)
        }
    }
}

extension Database {
    /// The same database as raw SQL, for bulk writes and the few hand-written queries.
    public var sql: any SQLDatabase {
        // Both drivers CityWatch registers are SQL databases; anything else is a wiring bug.
        guard let sql = self as? any SQLDatabase else {
            preconditionFailure("CityWatch needs an SQL database, got \(type(of: self))")
        }
        return sql
    }

    /// True on PostgreSQL, false on SQLite.
    public var isPostgres: Bool { sql.dialect.name == "postgresql" }

    /// A transaction that writes. Use it instead of `transaction` wherever the body writes.
    ///
    /// On SQLite a plain transaction begins deferred: its first read takes a snapshot, and when
    /// another connection commits before the body's first write, that write is refused at once
    /// ("database is locked", the driver's busy handler is not asked) — under load, a login or an
    /// audit entry failed this way. Here the first statement takes the write lock (an update that
    /// matches no row), so a busy database makes the transaction wait instead, as `BEGIN IMMEDIATE`
    /// would; the driver offers no way to begin one. Nested calls run in the enclosing transaction.
    public func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if inTransaction { return try await body(self) }
        return try await transaction { tx in
            if !tx.isPostgres {
                // Fluent's own migrations table is in every CityWatch database.
                try await tx.sql.raw("UPDATE _fluent_migrations SET name = name WHERE 0").run()
            }
            return try await body(tx)
        }
    }

    /// A write transaction that no other `lockedTransaction` with the same `key` runs beside, on
    /// any node: for reading a record and writing back a changed copy without losing a change
    /// made in between. PostgreSQL: a transaction-scoped advisory lock on the key's hash (a rare
    /// hash clash only makes two keys wait for each other); SQLite: the write lock does it.
    public func lockedTransaction<T: Sendable>(_ key: String, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await writeTransaction { tx in
            if tx.isPostgres {
                try await tx.sql.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: key), 0))").run()
            }
            return try await body(tx)
        }
    }
}
