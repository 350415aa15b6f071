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
#if canImport(Glibc)
import Glibc
#endif

/// The `citywatch` executable recording for real: killed outright and restarted, and recording
/// a clip nobody here made from an RTSP camera, then exporting it verifiably.
@Suite("Recorder process", .serialized,
       .enabled(if: MediaFixtures.available && FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "needs ffmpeg and the built executable"))
struct RecorderProcessTests {
    /// An installation folder with one camera whose stream is `url`; returns the camera.
    static func install(in folder: URL, stream url: String, loop: Bool) async throws -> UUID {
        try #require(try await install(in: folder, streams: [(url, loop)]).first)
    }

    /// An installation folder with a camera for each of `streams`; returns the cameras in order.
    static func install(in folder: URL, streams: [(url: String, loop: Bool)]) async throws -> [UUID] {
        var configuration = testConfiguration(.sqlite(path: folder.appendingPathComponent("citywatch.sqlite").path), dataDirectory: folder.path)
        configuration.recording = false
        let app = try await Application.make(.testing)
        do {
            try await configure(app, configuration: configuration)
            let cameras = try await app.makeCameras(streams.count)
            let sealer = try CredentialSealer.load(base64: nil, folder: folder.appendingPathComponent("keys").path)
            for (camera, stream) in zip(cameras, streams) {
                try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: stream.url, loop: stream.loop), for: camera,
                                                                          sealer: sealer, now: Date())
            }
            try await app.asyncShutdown()
            return cameras
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Starts `citywatch serve` on the installation in `folder`.
    static func serve(_ folder: URL) throws -> MediaProcess {
        try MediaProcess(path: CommandLineTests.binary, arguments: [
            "serve", "--data-dir", folder.path, "--database-url", "sqlite://" + folder.appendingPathComponent("citywatch.sqlite").path,
            "--address", "127.0.0.1:0",
        ], environment: ProcessInfo.processInfo.environment.merging([
            "CITYWATCH_SEGMENT_SECONDS": "2", "CITYWATCH_BCRYPT_COST": "4", "CITYWATCH_LOG_LEVEL": "warning",
            "CITYWATCH_PUBLIC_DIR": RepositoryPaths.publicDirectory.path,
        ]) { $1 })
    }

    static func segmentFiles(_ folder: URL, _ camera: UUID) -> Set<String> {
        RecordingFolder.segmentFiles(folder, camera)
    }

    /// The indexed segment paths with their status, read straight from the SQLite file.
    static func index(_ folder: URL) throws -> [String: String] {
        let rows = try runProgram("/usr/bin/sqlite3", [folder.appendingPathComponent("citywatch.sqlite").path, "SELECT path, status FROM segments"])
        return Dictionary(rows.split(separator: "\n").map { line in
            let parts = line.split(separator: "|").map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { a, _ in a })
    }

    static func waitForExit(_ process: MediaProcess, seconds: Double = 30) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "citywatch did not stop")
    }

    static func ffmpegWriting(into folder: URL) -> Bool {
        let listing = (try? runProgram("/usr/bin/pgrep", ["-f", folder.path])) ?? ""
        return !listing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    @Test(.timeLimit(.minutes(3)))
    func killedRecorderRestartsWithIndexAndDiskAgreeing() async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true)
        let folder = try RepositoryPaths.temporaryFolder("sigkill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let camera = try await Self.install(in: folder, stream: clip, loop: true)
        let first = try Self.serve(folder)
        try await RecordingServiceTests.eventually("three segment files", timeout: .seconds(60)) { Self.segmentFiles(folder, camera).count >= 3 }
        first.forceKill()
        try await Self.waitForExit(first)
        // The orphaned ffmpeg loses its readers and ends too (a broken pipe).
        try await RecordingServiceTests.eventually("the orphaned ffmpeg to end", timeout: .seconds(15)) { !Self.ffmpegWriting(into: folder) }

        let second = try Self.serve(folder)
        try await RecordingServiceTests.eventually("recording to resume", timeout: .seconds(60)) {
            let index = try Self.index(folder)
            return index.count >= 4 && Self.segmentFiles(folder, camera).count > index.count
        }
        second.terminate()
        try await Self.waitForExit(second)
        let index = try Self.index(folder)
        let onDisk = Self.segmentFiles(folder, camera)
        #expect(Set(index.filter { $0.value == "ok" }.keys) == onDisk, "index and disk disagree")
        for path in onDisk {
            let facts = try MediaFixtures.probe(path)
            #expect(facts.duration > 0 && facts.streams == ["video"], "\(path)")
        }
    }

    @Test(.enabled(if: SyntheticRTSPCamera.available && FileManager.default.fileExists(atPath: RepositoryPaths.sharedData("vtest.avi").path),
                   "needs the RTSP server and ../shared/data/vtest.avi"),
          .timeLimit(.minutes(4)))
    func aClipNobodyHereMadeRecordsOverRTSPAndExportsVerifiably() async throws {
        let folder = try RepositoryPaths.temporaryFolder("vtest")
        defer { try? FileManager.default.removeItem(at: folder) }
        // OpenCV's campus clip, as an H.264 camera with B-frames would send it.
        let clip = folder.appendingPathComponent("vtest.mp4")
        _ = try runProgram(MediaFixtures.ffmpeg, ["-hide_banner", "-loglevel", "error", "-i", RepositoryPaths.sharedData("vtest.avi").path,
                                                  "-c:v", "libx264", "-preset", "veryfast", "-g", "10", "-bf", "2", "-pix_fmt", "yuv420p", "-y", clip.path])
        let port = SyntheticRTSPCamera.freePort()
        let source = try await SyntheticRTSPCamera.start(port: port, mounts: ["campus": clip])
        let camera = try await Self.install(in: folder, stream: source.url("campus"), loop: false)
        let server = try Self.serve(folder)
        try await RecordingServiceTests.eventually("three recorded segments", timeout: .seconds(90)) { try Self.index(folder).count >= 3 }
        server.terminate()
        try await Self.waitForExit(server)
        _ = await source.stop()
        let segments = Self.segmentFiles(folder, camera)
        for path in segments {
            let facts = try MediaFixtures.probe(path)
            #expect(facts.streams == ["video"] && facts.duration > 0, "\(path): \(facts)")
        }
        let times = try runProgram("/usr/bin/sqlite3", [folder.appendingPathComponent("citywatch.sqlite").path,
                                                        "SELECT MIN(start_at), MAX(end_at) FROM segments"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let bounds = times.split(separator: "|").compactMap { Double($0) }
        try #require(bounds.count == 2)
        let iso = ISO8601DateFormatter()
        let from = iso.string(from: Date(timeIntervalSince1970: bounds[0] + 1)), to = iso.string(from: Date(timeIntervalSince1970: bounds[1] - 1))
        let out = folder.appendingPathComponent("evidence").path
        let database = "sqlite://" + folder.appendingPathComponent("citywatch.sqlite").path
        let made = try runProgram(CommandLineTests.binary, ["export", "create", "--camera", camera.uuidString, "--from", from, "--to", to,
                                                            "--reason", "수사 협조 요청 2026-0042", "--output", out,
                                                            "--data-dir", folder.path, "--database-url", database])
        #expect(made.contains("Exported 1 clip"))
        let verified = try runProgram(CommandLineTests.binary, ["export", "verify", out, "--data-dir", folder.path])
        #expect(verified.contains("is intact") && verified.contains("this installation's key"))
        let clipFile = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasSuffix(".mp4") })
        let clipPath = (out as NSString).appendingPathComponent(clipFile)
        #expect(try MediaFixtures.probe(clipPath).streams == ["video"])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: clipPath))
        bytes[bytes.count / 3] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: clipPath))
        do {
            _ = try runProgram(CommandLineTests.binary, ["export", "verify", out, "--data-dir", folder.path])
            Issue.record("verify accepted a changed clip")
        } catch let failure as ProgramFailure {
            #expect(failure.status == 1)
            #expect(failure.standardError.contains(clipFile) && failure.standardError.contains("changed"), "\(failure.standardError)")
        }

        // Its purpose met, the export is destroyed early from the command line, once.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("manifest.json")))
        let exportID = try #require((manifest as? [String: Any])?["exportId"] as? String)
        let kept = folder.appendingPathComponent("exports").appendingPathComponent(exportID.lowercased()).path
        #expect(FileManager.default.fileExists(atPath: kept))
        let destroy = ["export", "destroy", exportID, "--reason", "경찰 제공 완료 2026-0042", "--data-dir", folder.path, "--database-url", database]
        let destroyed = try runProgram(CommandLineTests.binary, destroy)
        #expect(destroyed.contains("Destroyed export"), "\(destroyed)")
        #expect(!FileManager.default.fileExists(atPath: kept))
        do {
            _ = try runProgram(CommandLineTests.binary, destroy)
            Issue.record("an export was destroyed twice")
        } catch let failure as ProgramFailure {
            #expect(failure.standardError.contains("was destroyed on") && failure.standardError.contains("경찰 제공 완료"), "\(failure.standardError)")
        }
    }
}
