import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import Testing
import Vapor

/// A move to the archive killed outright (SIGKILL) at each of its four steps — during the copy,
/// after the copy, inside the index switch's transaction, before the hot copy is deleted —
/// leaves, after the reconciliation a restart runs, exactly one indexed and playable copy of
/// every segment and no stray file; moving again then finishes the job.
@Suite("Moves to the archive killed part way", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "needs the built executable"))
struct TierMoveKillTests {
    static let segments = 6

    static func run(_ footage: TieredFootage, _ database: DatabaseLocation, _ arguments: [String], killAt: String? = nil) async throws -> String {
        guard case .sqlite(let path) = database else { throw ProgramFailure(program: "test", status: -1, standardError: "SQLite only", standardOutput: "") }
        var environment = [
            "CITYWATCH_RECORDINGS_DIR": footage.recordings, "CITYWATCH_ARCHIVE_DIR": footage.archive,
            "CITYWATCH_ARCHIVE_AFTER_HOURS": "24", "CITYWATCH_LOG_LEVEL": "warning", "CITYWATCH_HOT_MOVE_BELOW_FREE_PERCENT": "0",
        ]
        if let killAt { environment[KillPoints.variable] = killAt }
        return try await runProgramDetached(CommandLineTests.binary, ["archive"] + arguments + [
            "--data-dir", footage.folder.appendingPathComponent("data").path, "--database-url", "sqlite://" + path,
        ], environment: environment)
    }

    @Test(.timeLimit(.minutes(3)))
    func aMoveKilledAtAnyStepLeavesOneCopyOfEverySegment() async throws {
        var random = SceneRandom(seed: 16)
        for point in ["copy", "copied", "switch", "delete"] {
            try await withCityWatch(.sqlite) { app in
                let footage = try await TieredFootage.make(app, count: Self.segments)
                defer { try? FileManager.default.removeItem(at: footage.folder) }
                let database = app.cityWatch.configuration.database
                let victim = Int(random.uniform(1...Double(Self.segments) + 0.999))
                // Killed the `victim`-th time a move reaches `point`.
                do {
                    let output = try await Self.run(footage, database, ["move"], killAt: "\(point):\(victim)")
                    Issue.record("\(point): the move was not killed: \(output)")
                } catch let failure as ProgramFailure {
                    #expect(failure.status == 128 + 9, "\(point): \(failure)")
                    #expect(failure.standardError.contains("killed at \(point)"), "\(point): \(failure.standardError)")
                }
                // What the kill left, before any clean-up: proof that it struck where it says.
                let rows = try await footage.rows(app)
                let archived = rows.filter(\.isArchived)
                let hotFiles = TieredFootage.files(footage.hotFolder), archiveFiles = TieredFootage.files(footage.archiveFolder)
                switch point {
                case "copy":
                    #expect(archived.count == victim - 1 && archiveFiles.contains { $0.hasSuffix(".part") }, "\(point): \(archiveFiles)")
                case "copied", "switch":
                    // The copy is in place under its final name; the row still points at the hot copy
                    // (the switch's transaction died uncommitted).
                    #expect(archived.count == victim - 1 && archiveFiles.count == victim && hotFiles.count == Self.segments - victim + 1,
                            "\(point): \(archived.count) archived rows, \(archiveFiles.count) archive files, \(hotFiles.count) hot files")
                default:
                    // Switched, the hot copy not yet deleted.
                    #expect(archived.count == victim && archiveFiles.count == victim && hotFiles.count == Self.segments - victim + 1,
                            "\(point): \(archived.count) archived rows, \(archiveFiles.count) archive files, \(hotFiles.count) hot files")
                }
                // The restart's reconciliation leaves one copy of everything.
                let report = try await Self.run(footage, database, ["reconcile"])
                #expect(report.contains("removed 1 second copies"), "\(point): \(report)")
                let problems = try await footage.problems(app, expected: Self.segments)
                #expect(problems.isEmpty, "\(point), killed at move \(victim): \(problems)")
                // Moving again finishes: everything in the archive, verified, nothing left hot.
                let moved = try await Self.run(footage, database, ["move"])
                #expect(moved.hasPrefix("moved \(Self.segments - (point == "delete" ? victim : victim - 1)) segments"), "\(point): \(moved)")
                let after = try await footage.rows(app)
                #expect(after.allSatisfy { $0.isArchived && $0.sha256 != nil } && after.count == Self.segments, "\(point)")
                #expect(TieredFootage.files(footage.hotFolder).isEmpty)
                #expect(try await footage.problems(app, expected: Self.segments).isEmpty, "\(point)")
            }
        }
    }
}
