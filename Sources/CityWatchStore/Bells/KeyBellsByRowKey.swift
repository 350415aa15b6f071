import FluentKit
import SQLKit

/// Keys bells by the standard's row key 관리번호 instead of 안전비상벨관리번호, which repeats
/// across installers in real city files (keyed by it, an import dropped 40 % of a city's bells
/// as repeats).
///
/// The unique column `management_number` becomes `bell_key` (renamed, so its unique constraint
/// stays: SQLite cannot drop a constraint without rebuilding the table, and rebuilding `bells`
/// would cascade into the secrets and presses that reference it); the installer's number moves
/// to a new, non-unique `management_number`; `row_key` holds 관리번호 (empty for every bell
/// stored so far: their files' 관리번호 was not read); `former_key` the key a bell had before
/// 관리번호 re-keyed it. Existing bells keep their ids and their keys (their numbers), so their
/// secrets, presses, drill windows and alarms are untouched and they press as before; the first
/// import of a file with 관리번호 re-keys them (``BellRekeying``), keeping their old key as
/// `former_key`.
struct KeyBellsByRowKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.raw("ALTER TABLE \(ident: BellModel.schema) RENAME COLUMN \(ident: "management_number") TO \(ident: "bell_key")").run()
        // One column per statement (SQLite adds one at a time); TEXT is what Fluent's `.string` is on both.
        for column in ["management_number", "row_key"] {
            try await database.sql.raw("ALTER TABLE \(ident: BellModel.schema) ADD COLUMN \(ident: column) TEXT NOT NULL DEFAULT ''").run()
        }
        try await database.sql.raw("ALTER TABLE \(ident: BellModel.schema) ADD COLUMN \(ident: "former_key") TEXT").run()
        try await database.sql.raw("UPDATE \(ident: BellModel.schema) SET \(ident: "management_number") = \(ident: "bell_key")").run()
        try await database.sql.create(index: "bells_former_key").on(BellModel.schema).column("former_key").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "bells_former_key").run()
        for column in ["former_key", "row_key", "management_number"] {
            try await database.schema(BellModel.schema).deleteField(.string(column)).update()
        }
        try await database.sql.raw("ALTER TABLE \(ident: BellModel.schema) RENAME COLUMN \(ident: "bell_key") TO \(ident: "management_number")").run()
    }
}
