import CityWatchTestSupport
import Foundation
import Testing

/// `citywatch eval --real-set` run as a user runs it: the report on standard output, progress
/// and the clips it could not run on standard error, and a non-zero exit when one could not run.
@Suite("citywatch eval")
struct EvalCommandTests {
    static let fights = RepositoryPaths.root.appendingPathComponent("../shared/data/real/fight").standardized.path
    static let present = FileManager.default.isExecutableFile(atPath: CommandLineTests.binary)
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg") && FileManager.default.fileExists(atPath: fights)

    @Test(.enabled(if: present, "needs the built executable, ffmpeg and ../shared/data/real/fight"))
    func aRealSetTellsItsProgressAndNamesAClipItCannotRun() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func labels(_ clip: String) -> String {
            """
            { "about": "test", "clip": "\(clip)", "analysisWidth": 320, "analysisHeight": 240, "analysisFPS": 5,
              "rules": [ { "name": "anywhere", "clipLevel": "raises", "kind": { "intrusion": { "zone": { "points": [
                { "x": 0, "y": 0 }, { "x": 1, "y": 0 }, { "x": 1, "y": 1 }, { "x": 0, "y": 1 } ] } } } } ] }
            """
        }
        try Data("not a video at all".utf8).write(to: folder.appendingPathComponent("broken.mp4"))
        try Data(labels("broken.mp4").utf8).write(to: folder.appendingPathComponent("broken.labels.json"))
        for name in ["fi003", "fi008"] {
            try Data(labels("\(Self.fights)/fight/\(name).mp4").utf8).write(to: folder.appendingPathComponent("\(name).labels.json"))
        }
        do {
            let output = try await runProgramDetached(CommandLineTests.binary, ["eval", "--real-set", folder.path, "--detector", "none"])
            Issue.record("a clip that cannot be decoded exited 0: \(output)")
        } catch let failure as ProgramFailure {
            #expect(failure.status == 1, "\(failure)")
            // Standard error: the broken clip named as it finished, and the count to the end
            // (not a terminal here: a line at a time, the last always).
            #expect(failure.standardError.contains("eval: broken.mp4 could not be run"), "\(failure.standardError)")
            #expect(failure.standardError.contains("eval: 3 of 3 clips"), "\(failure.standardError)")
            #expect(!failure.standardError.contains("\r"), "no carriage returns in a log")
            // Standard output: the report, the two good clips scored and the broken one named.
            #expect(failure.standardOutput.contains("intrusion") && failure.standardOutput.contains("1 not run"), "\(failure.standardOutput)")
            #expect(!failure.standardOutput.contains("eval: "), "progress stays off standard output")
        }
    }
}
