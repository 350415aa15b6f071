import CityWatchMedia
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where things are, seen from the test sources.
public enum RepositoryPaths {
    /// The repository root (two folders above this file's folder).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/data/NAME`: the real data the tests read (never copied into the repository).
    /// `CITYWATCH_SHARED_DATA` names another folder; otherwise the nearest `shared/data` beside
    /// the repository or one of its parents is used.
    public static func sharedData(_ name: String) -> URL {
        sharedDataFolder.appendingPathComponent(name)
    }

    static let sharedDataFolder: URL = {
        if let folder = ProcessInfo.processInfo.environment["CITYWATCH_SHARED_DATA"] { return URL(fileURLWithPath: folder) }
        var parent = root.deletingLastPathComponent()
        while parent.path != "/" {
            let candidate = parent.appendingPathComponent("shared/data")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("README.md").path) { return candidate }
            parent = parent.deletingLastPathComponent()
        }
        return root.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    /// Gangnam's 2017 CCTV registry (CP949, 13 columns, 1,699 rows, 4,387 cameras).
    public static var gangnamRegistry: URL { sharedData("gangnam_cctv.csv") }

    /// Core Gangnam's road network: a SUMO file in UTM zone 52 (414 junctions, 1,170 road edges).
    public static var gangnamRoadNetwork: URL { sharedData("gangnam.net.xml") }

    /// The console files.
    public static var publicDirectory: URL { root.appendingPathComponent("Public") }

    /// A fresh temporary folder.
    public static func temporaryFolder(_ label: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Runs a program to completion and returns its standard output; throws with its standard
/// error on a non-zero exit.
///
/// Uses posix_spawn and waitpid with output in temporary files rather than Foundation's
/// `Process` and pipes: a daemon the program starts (pg_ctl starts PostgreSQL) must not keep
/// a pipe open, and the caller must not wait on a run loop.
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-run-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let outPath = folder.appendingPathComponent("out").path, errPath = folder.appendingPathComponent("err").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    // A daemon started here (PostgreSQL) must not keep other children's pipes open.
    InheritedDescriptors.closeAllAboveStandardStreams(&actions)
    let env = ProcessInfo.processInfo.environment.merging(environment ?? [:]) { $1 }.map { "\($0.key)=\($0.value)" }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, path, &actions, nil, argv, envp) == 0 else {
        throw ProgramFailure(program: path, status: -1, standardError: "cannot start", standardOutput: "")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    guard exit == 0 else { throw ProgramFailure(program: path, status: exit, standardError: errors, standardOutput: output) }
    return output
}

/// ``runProgram(_:_:environment:)`` on a thread of its own, so a slow program does not hold
/// one of the few threads Swift concurrency has.
public func runProgramDetached(_ path: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try runProgram(path, arguments, environment: environment) })
        }
    }
}

/// A program that exited with a non-zero status.
public struct ProgramFailure: Error, CustomStringConvertible {
    public var program: String
    public var status: Int32
    public var standardError: String
    public var standardOutput: String
    public var description: String { "\(program) exited with \(status): \(standardError)" }

    public init(program: String, status: Int32, standardError: String, standardOutput: String) {
        self.program = program
        self.status = status
        self.standardError = standardError
        self.standardOutput = standardOutput
    }
}
