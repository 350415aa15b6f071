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
}
