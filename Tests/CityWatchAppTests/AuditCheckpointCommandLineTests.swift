import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Foundation
import Testing

/// Audit checkpoints from the command line and from `serve`, with the built executable.
@Suite("Audit checkpoints on the command line", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "build the executable first: swift build"))
struct AuditCheckpointCommandLineTests {
    /// Runs `citywatch` on `database` with the installation folder `folder` (its signing key).
    static func citywatch(_ arguments: [String], database: DatabaseLocation, folder: URL) throws -> String {
        try CommandLineTests.citywatch(arguments + ["--data-dir", folder.path], database: database)
    }

    /// On SQLite (the store tests run the same attacks on both databases; each run of the
    /// executable here costs a start and a migration check).
    @Test
    func anExportedFileShowsATruncationAfterTheCheckpointRowsWereDeleted() async throws {
        let database = try await TestDatabase.make(.sqlite)
        defer { database.drop() }
        let db = database.location
        let folder = try RepositoryPaths.temporaryFolder("audit-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.citywatch(["users", "add", "kim.operator", "--role", "operator"], database: db, folder: folder)
        _ = try Self.citywatch(["users", "add", "lee.police", "--role", "police"], database: db, folder: folder)
        #expect(try Self.citywatch(["audit", "checkpoint"], database: db, folder: folder).contains("checkpoint signed: entry 2 (2 entries)"))
        let exported = folder.appendingPathComponent("checkpoints.json").path
        #expect(try Self.citywatch(["audit", "checkpoints", "-o", exported], database: db, folder: folder)
            .contains("wrote 1 checkpoint(s) signed by 1 key(s)"))
        let key = try SigningKey.load(folder: folder.appendingPathComponent("keys").path)
        #expect(try Self.citywatch(["audit", "verify"], database: db, folder: folder)
            .contains("1 signed checkpoint(s) agree with it, the latest covering entry 2"))

        // The intruder deletes the last entry and every checkpoint row.
        try CommandLineTests.rawSQL("""
            DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_checkpoints_no_delete;
            DELETE FROM audit_log WHERE seq = 2; DELETE FROM audit_checkpoints;
            """, database: db)
        #expect(try Self.citywatch(["audit", "verify"], database: db, folder: folder).contains("no signed checkpoint yet"),
                "the store alone no longer shows it")
        do {
            _ = try Self.citywatch(["audit", "verify", "--checkpoints", exported, "--public-key", key.publicKeyBase64], database: db, folder: folder)
            Issue.record("verify accepted a truncated log")
        } catch let failure as ProgramFailure {
            #expect(failure.status == 1)
            #expect(failure.standardError.contains("TRUNCATED: entry 2 was deleted"), "\(failure.standardError)")
            #expect(failure.standardError.contains("MISSING"), "\(failure.standardError)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func serveSignsTheHeadAtStartAndAtShutdown() async throws {
        let folder = try RepositoryPaths.temporaryFolder("audit-serve")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = folder.appendingPathComponent("citywatch.sqlite").path
        let database = DatabaseLocation.sqlite(path: sqlite)
        func checkpointedHead() throws -> String {
            try runProgram("/usr/bin/sqlite3", [sqlite, "SELECT MAX(seq) FROM audit_checkpoints"]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let server = try MediaProcess(path: CommandLineTests.binary, arguments: [
            "serve", "--data-dir", folder.path, "--database-url", "sqlite://" + sqlite, "--address", "127.0.0.1:0",
        ], environment: ProcessInfo.processInfo.environment.merging([
            "CITYWATCH_BCRYPT_COST": "4", "CITYWATCH_LOG_LEVEL": "warning", "CITYWATCH_RECORDING": "false",
            "CITYWATCH_PUBLIC_DIR": RepositoryPaths.publicDirectory.path,
        ]) { $1 })
        defer { if server.isRunning { server.forceKill() } }
        // The first start creates the administrator (entry 1) and signs it.
        try await waitUntil("the start checkpoint", timeout: .seconds(60)) { try checkpointedHead() == "1" }
        _ = try Self.citywatch(["users", "add", "park.officer", "--role", "privacy-officer"], database: database, folder: folder)
        #expect(try checkpointedHead() == "1", "the next periodic checkpoint is 15 minutes away")

        server.terminate()
        try await waitUntil("serve to stop", timeout: .seconds(30)) { !server.isRunning }
        #expect(try checkpointedHead() == "2", "SIGTERM signs the head before the process ends: \(server.standardErrorTail)")
        let verified = try Self.citywatch(["audit", "verify"], database: database, folder: folder)
        #expect(verified.contains("2 signed checkpoint(s) agree with it, the latest covering entry 2") && verified.contains("(this installation's)"),
                "\(verified)")
    }
}
