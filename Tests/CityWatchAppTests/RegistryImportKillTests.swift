import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An import killed outright (SIGKILL) at any moment leaves the registry as no import or one
/// whole import would: re-importing the file afterwards gives exactly what one clean import
/// gives, and nothing staged is left behind.
@Suite("Registry import killed", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "needs the built executable"))
struct RegistryImportKillTests {
    /// The registry as `sqlite3` reads it: every site's key and fields, and every camera's site and position.
    static func registry(_ database: String) throws -> String {
        try runProgram("/usr/bin/sqlite3", [database, """
            SELECT registry_key, road_address, purpose, camera_count, latitude, longitude FROM sites ORDER BY registry_key;
            SELECT s.registry_key, c.position FROM cameras c JOIN sites s ON s.id = c.site_id ORDER BY s.registry_key, c.position;
            SELECT COUNT(*) FROM registry_staging; SELECT COUNT(*) FROM registry_import_runs;
            """])
    }

    static func importArguments(_ file: String, _ folder: URL, _ database: String) -> [String] {
        ["cameras", "import", file, "--data-dir", folder.path, "--database-url", "sqlite://" + database]
    }

    @Test(.timeLimit(.minutes(3)))
    func aKilledImportIsFinishedOrForgottenAndTheReimportIsExact() async throws {
        let folder = try RepositoryPaths.temporaryFolder("import-kill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("first.csv").path, second = folder.appendingPathComponent("second.csv").path
        _ = try RegistryFileGenerator(rows: 1_000, seed: 11).write(to: first)
        _ = try RegistryFileGenerator(rows: 1_500, seed: 12).write(to: second)
        // The answer: the two files imported one after the other, nothing killed.
        let clean = folder.appendingPathComponent("clean.sqlite").path
        _ = try await runProgramDetached(CommandLineTests.binary, Self.importArguments(first, folder, clean))
        let cleanStart = Date()
        _ = try await runProgramDetached(CommandLineTests.binary, Self.importArguments(second, folder, clean) + ["--prune"])
        let importSeconds = Date().timeIntervalSince(cleanStart)
        let expected = try Self.registry(clean)

        var random = SceneRandom(seed: 5)
        for attempt in 0..<2 {
            let database = folder.appendingPathComponent("killed-\(attempt).sqlite").path
            _ = try await runProgramDetached(CommandLineTests.binary, Self.importArguments(first, folder, database))
            let importing = try MediaProcess(path: CommandLineTests.binary, arguments: Self.importArguments(second, folder, database) + ["--prune"])
            // Killed somewhere in staging, at the commit point or while switching in.
            try await Task.sleep(for: .milliseconds(Int(random.uniform(0.1...0.95) * importSeconds * 1000)))
            importing.forceKill()
            while importing.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            let report = try await runProgramDetached(CommandLineTests.binary, Self.importArguments(second, folder, database) + ["--prune"])
            #expect(try Self.registry(database) == expected, "attempt \(attempt): the registry differs from one clean import (\(report.prefix(300)))")
        }
    }
}
