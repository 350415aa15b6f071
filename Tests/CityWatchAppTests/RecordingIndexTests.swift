import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Crypto
import Fluent
import FluentKit
import Foundation
import Testing
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// Every closed segment on disk reaches the index, whatever happened to the server before: a
/// segment list left by an earlier run, restarts at any moment, killed recorders left behind.
@Suite("Recording index", .enabled(if: MediaFixtures.available && SyntheticRTSPCamera.available,
                                   "needs ffmpeg and GStreamer's RTSP server"))
struct RecordingIndexTests {
    /// Closed segments: every file of a camera's folder but the newest (ffmpeg writes it now).
    static func closedSegments(_ folder: URL, _ cameras: [UUID]) -> Set<String> {
        cameras.reduce(into: Set<String>()) { closed, camera in
            closed.formUnion(RecorderProcessTests.segmentFiles(folder, camera).sorted().dropLast())
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aSegmentListAnEarlierRunLeftKeepsNoSegmentOutOfTheIndex() async throws {
        let folder = try RepositoryPaths.temporaryFolder("stale-list")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try await SyntheticRTSPCamera.start(port: SyntheticRTSPCamera.freePort(),
                                                         mounts: ["gate": URL(fileURLWithPath: try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true))])
        do {
            try await withCityWatch(.sqlite) { app in
                let camera = try #require(try await app.makeCameras(1).first)
                let configuration = try RecordingServiceTests.configuration(app, folder: folder)
                let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
                try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: source.url("gate")), for: camera, sealer: sealer, now: Date())
                // The list an earlier run of this camera left: longer than what this run writes in
                // minutes, naming segments that are not on disk. ffmpeg truncates its list only
                // once the RTSP camera has answered.
                let runtime = folder.appendingPathComponent("run/\(camera.uuidString)")
                try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
                let stale = (0..<120).map { String(format: "20250101T00%02d%02dZ.mp4,%d.000000,%d.000000\n", $0 / 30, ($0 * 2) % 60, $0 * 2, $0 * 2 + 2) }
                for generation in 1...3 {
                    try stale.joined().write(to: runtime.appendingPathComponent("segments-\(generation).csv"), atomically: true, encoding: .utf8)
                }
                let service = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer)
                try await whileRunning([service]) {
                    try await RecordingServiceTests.eventually("three segments of this run indexed", timeout: .seconds(20)) {
                        try await RecordingRepository(database: app.db).allSegments(camera: camera).count >= 3
                    }
                }
                let rows = try await RecordingRepository(database: app.db).allSegments(camera: camera)
                let onDisk = RecorderProcessTests.segmentFiles(folder, camera)
                let indexed = Set(rows.map(\.path))
                #expect(indexed == onDisk, "index and disk disagree: \(indexed.subtracting(onDisk).count) rows without a file, \(onDisk.subtracting(indexed).count) files without a row")
                #expect(!rows.contains { $0.path.contains("20250101") }, "a stale list line was indexed")
            }
        } catch {
            _ = await source.stop()
            throw error
        }
        _ = await source.stop()
    }

    /// Ten restarts at seeded random moments, by SIGTERM and by SIGKILL, while a file camera and
    /// an RTSP camera record in 2-second segments; afterwards every closed segment on disk is
    /// indexed within 20 s and plays, and no recorder is left behind.
    @Test(.timeLimit(.minutes(4)))
    func everyClosedSegmentIsIndexedAndPlaysAcrossTenRestarts() async throws {
        let seed: UInt64 = 20_261_205
        var random = SceneRandom(seed: seed)
        let folder = try RepositoryPaths.temporaryFolder("restarts")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true)
        let source = try await SyntheticRTSPCamera.start(port: SyntheticRTSPCamera.freePort(), mounts: ["crossing": URL(fileURLWithPath: clip)])
        do {
            let cameras = try await RecorderProcessTests.install(in: folder, streams: [(clip, true), (source.url("crossing"), false)])
            var restarts: [String] = []
            for cycle in 1...10 {
                let server = try RecorderProcessTests.serve(folder)
                try await Task.sleep(for: .milliseconds(Int(random.uniform(1_500...4_000))))
                let hard = random.next() % 2 == 0
                restarts.append("\(cycle): \(hard ? "SIGKILL" : "SIGTERM")")
                if hard { server.forceKill() } else { server.terminate() }
                try await RecorderProcessTests.waitForExit(server)
            }
            let last = try RecorderProcessTests.serve(folder)
            // Segments of this run close every 2 s; by now earlier runs' are all closed.
            try await Task.sleep(for: .seconds(6))
            let closed = Self.closedSegments(folder, cameras)
            try await RecordingServiceTests.eventually("every closed segment indexed (seed \(seed), \(restarts))", timeout: .seconds(20)) {
                let index = try RecorderProcessTests.index(folder)
                return closed.allSatisfy { index[$0] == "ok" || !FileManager.default.fileExists(atPath: $0) }
            }
            last.terminate()
            try await RecorderProcessTests.waitForExit(last)
            #expect(!RecorderProcessTests.ffmpegWriting(into: folder), "a recorder outlived its server")
            let index = try RecorderProcessTests.index(folder)
            let onDisk = cameras.reduce(into: Set<String>()) { $0.formUnion(RecorderProcessTests.segmentFiles(folder, $1)) }
            #expect(Set(index.filter { $0.value == "ok" }.keys) == onDisk, "index and disk disagree after \(restarts)")
            #expect(cameras.allSatisfy { !RecorderProcessTests.segmentFiles(folder, $0).isEmpty })
            for path in onDisk.sorted() {
                let facts = try MediaFixtures.probe(path)
                #expect(facts.duration > 0 && facts.streams == ["video"], "\(path) does not play: \(facts)")
            }
        } catch {
            _ = await source.stop()
            throw error
        }
        _ = await source.stop()
    }
}
