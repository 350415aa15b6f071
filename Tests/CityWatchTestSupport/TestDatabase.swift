import CityWatchStore
import Foundation
import Synchronization
import Testing

/// The two databases every store and API test runs against.
public enum DatabaseKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    public var testDescription: String { rawValue }
}

/// A database for one test: a new SQLite file, or a new database on the suite's PostgreSQL server.
public struct TestDatabase: Sendable {
    public let location: DatabaseLocation
    private let cleanup: @Sendable () -> Void

    /// Makes an empty database of `kind`.
    public static func make(_ kind: DatabaseKind) async throws -> TestDatabase {
        switch kind {
        case .sqlite:
            let folder = try RepositoryPaths.temporaryFolder("sqlite")
            return TestDatabase(location: .sqlite(path: folder.appendingPathComponent("test.sqlite").path)) {
                try? FileManager.default.removeItem(at: folder)
            }
        case .postgres:
            let server = try await TestPostgresServer.shared.url()
            let name = "t_" + UUID().uuidString.replacing("-", with: "").lowercased().prefix(20)
            _ = try await runProgramDetached("/usr/bin/psql", [server, "-qAt", "-c", "CREATE DATABASE \(name)"])
            let url = server.replacing("/postgres?", with: "/\(name)?")
            return TestDatabase(location: .postgres(url: url)) {
                _ = try? runProgram("/usr/bin/psql", [server, "-qAt", "-c", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
            }
        }
    }

    init(location: DatabaseLocation, cleanup: @escaping @Sendable () -> Void) {
        self.location = location
        self.cleanup = cleanup
    }

    /// Removes the database.
    public func drop() {
        cleanup()
    }
}

/// The test process's PostgreSQL server: `CITYWATCH_TEST_POSTGRES_URL` when set, otherwise a
/// throwaway server started by `scripts/start-postgres.sh` on first use and stopped at exit.
public actor TestPostgresServer {
    public static let shared = TestPostgresServer()
    private var started: Task<String, any Error>?

    /// The URL of the server's `postgres` database.
    public func url() async throws -> String {
        if let started { return try await started.value }
        let task = Task<String, any Error> {
            if let url = ProcessInfo.processInfo.environment["CITYWATCH_TEST_POSTGRES_URL"] { return url }
            let script = RepositoryPaths.root.appendingPathComponent("scripts/start-postgres.sh").path
            let line = try await runProgramDetached("/bin/sh", [script]).trimmingCharacters(in: .whitespacesAndNewlines)
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count == 2 else { throw ProgramFailure(program: script, status: 0, standardError: "unexpected output: \(line)", standardOutput: line) }
            StopAtExit.register(folder: parts[1])
            return parts[0]
        }
        started = task
        return try await task.value
    }
}

/// Stops the test server when the test process exits.
enum StopAtExit {
    private static let folders = Mutex<[String]>([])

    static func register(folder: String) {
        let first = folders.withLock { list in
            list.append(folder)
            return list.count == 1
        }
        if first {
            atexit {
                let script = RepositoryPaths.root.appendingPathComponent("scripts/stop-postgres.sh").path
                for folder in StopAtExit.folders.withLock({ $0 }) { _ = try? runProgram("/bin/sh", [script, folder]) }
            }
        }
    }
}
