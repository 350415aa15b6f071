import FluentKit
import SQLKit

/// The triggers that make the database refuse UPDATE and DELETE on an audit table (`audit_log`,
/// `audit_checkpoints`). They stop mistakes and casual edits; an intruder with database access
/// can drop them, which is what the hash chain and the signed checkpoints are for.
enum AppendOnlyGuard {
    /// Creates the triggers on `table`: on PostgreSQL one function and one trigger named
    /// `<table>_append_only`; on SQLite `<table>_no_update` and `<table>_no_delete`.
    static func install(on database: any Database, table: String) async throws {
        let sql = database.sql
        if database.isPostgres {
            try await sql.raw("""
                CREATE FUNCTION \(unsafeRaw: table)_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '\(unsafeRaw: table) is append-only'; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_append_only BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
                FOR EACH ROW EXECUTE FUNCTION \(unsafeRaw: table)_append_only()
                """).run()
        } else {
            for operation in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_no_\(unsafeRaw: operation.lowercased()) BEFORE \(unsafeRaw: operation) ON \(unsafeRaw: table)
                    BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END
                    """).run()
            }
        }
    }

    /// Drops the PostgreSQL function left after the table (and with it its triggers) is dropped.
    static func removeFunction(on database: any Database, table: String) async throws {
        if database.isPostgres {
            try await database.sql.raw("DROP FUNCTION IF EXISTS \(unsafeRaw: table)_append_only()").run()
        }
    }
}
