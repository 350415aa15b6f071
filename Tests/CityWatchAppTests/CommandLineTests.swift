import CityWatchStore
import CityWatchTestSupport
import Foundation
import Testing

/// The `citywatch` executable, run as a user would run it, against both databases.
@Suite("Command line", .serialized)
struct CommandLineTests {
    static var binary: String { RepositoryPaths.root.appendingPathComponent(".build/debug/citywatch").path }

    static func citywatch(_ arguments: [String], database: DatabaseLocation) throws -> String {
        let url: String = switch database {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let url): url
        }
        return try runProgram(binary, arguments + ["--database-url", url], environment: ["CITYWATCH_BCRYPT_COST": "4"])
    }

    /// Runs SQL against the test database directly, as an intruder with database access would.
    static func rawSQL(_ sql: String, database: DatabaseLocation) throws {
        switch database {
        case .sqlite(let path): _ = try runProgram("/usr/bin/sqlite3", [path, sql])
        case .postgres(let url): _ = try runProgram("/usr/bin/psql", [url, "-qAt", "-c", sql])
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "build the executable first: swift build"),
          arguments: DatabaseKind.allCases)
    func importUsersExportAndAuditTamperFromTheCommandLine(kind: DatabaseKind) async throws {
        let database = try await TestDatabase.make(kind)
        defer { database.drop() }
        let db = database.location
        let report = try Self.citywatch(["cameras", "import", RepositoryPaths.gangnamRegistry.path], database: db)
        #expect(report.contains("1,699 sites, 4,387 cameras"))
        #expect(report.contains("생활방범"))

        let added = try Self.citywatch(["users", "add", "Kim.Operator", "--role", "operator"], database: db)
        let password = try #require(added.split(separator: "\n").first { $0.hasPrefix("password: ") }?.dropFirst("password: ".count))
        #expect(password.count == 20)
        #expect(try Self.citywatch(["users", "list"], database: db).contains("kim.operator"))
        #expect(throws: ProgramFailure.self) { try Self.citywatch(["users", "add", "kim.operator", "--role", "police"], database: db) }
        #expect(throws: ProgramFailure.self) { try Self.citywatch(["users", "add", "lee", "--role", "janitor"], database: db) }

        let folder = try RepositoryPaths.temporaryFolder("cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let exported = folder.appendingPathComponent("registry.csv").path
        _ = try Self.citywatch(["cameras", "export", "--format", "csv", "--output", exported], database: db)
        #expect(try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\r\n").count == 1_700)

        #expect(try Self.citywatch(["audit", "verify"], database: db).contains("audit log intact: 3 entries verified"))
        let listed = try Self.citywatch(["audit", "list", "--action", "user"], database: db)
        #expect(listed.contains("user.create") && listed.contains("kim.operator"))

        // An intruder with database access drops the guard and edits entry 2.
        switch kind {
        case .sqlite: try Self.rawSQL("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET target = 'someone' WHERE seq = 2;", database: db)
        case .postgres: try Self.rawSQL("DROP TRIGGER audit_log_append_only ON audit_log; UPDATE audit_log SET target = 'someone' WHERE seq = 2;", database: db)
        }
        do {
            _ = try Self.citywatch(["audit", "verify"], database: db)
            Issue.record("verify accepted a tampered log")
        } catch let failure as ProgramFailure {
            #expect(failure.status == 1)
            #expect(failure.standardError.contains("entry 2"), "\(failure.standardError)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "build the executable first: swift build"))
    func badFilesGiveAReasonAndAnExitStatus() async throws {
        let database = try await TestDatabase.make(.sqlite)
        defer { database.drop() }
        let path = try RegistryFixtures.write(Data("name,value\n1,2\n".utf8))
        do {
            _ = try Self.citywatch(["cameras", "import", path], database: database.location)
            Issue.record("a file that is not a registry was accepted")
        } catch let failure as ProgramFailure {
            #expect(failure.status != 0)
            #expect(failure.standardError.contains("not a CCTV registry header"))
        }
        #expect(throws: ProgramFailure.self) { try Self.citywatch(["cameras", "import", "/nonexistent.csv"], database: database.location) }
        do {
            _ = try runProgram(Self.binary, ["serve", "--database-url", "mysql://nope"])
            Issue.record("a bad database URL was accepted")
        } catch let failure as ProgramFailure {
            #expect(failure.standardError.contains("CITYWATCH_DATABASE_URL") || failure.standardError.contains("sqlite:// or postgres://"))
        }
    }
}
