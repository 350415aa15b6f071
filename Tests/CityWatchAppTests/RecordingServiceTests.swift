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
import Logging
import ServiceLifecycle
import Testing
import Vapor

/// Recording against real ffmpeg: file sources played at their own rate, short segments.
@Suite("Recording", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct RecordingServiceTests {
    static func configuration(_ app: Application, folder: URL, segmentSeconds: Int = 2) throws -> Configuration {
        var configuration = app.cityWatch.configuration
        configuration.dataDirectory = folder.path
        configuration.recordingsDirectory = folder.appendingPathComponent("recordings").path
        configuration.segmentSeconds = segmentSeconds
        configuration.stallSeconds = 4
        return configuration
    }

    /// Waits (polling the store) until `condition` holds, or fails after `timeout`.
    static func eventually(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }

    @Test(arguments: [true, false])
    func recordsAFileCameraIntoPlayableVideoOnlySegments(bFrames: Bool) async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: bFrames)
        let folder = try RepositoryPaths.temporaryFolder("recording")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
            try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: clip, loop: true), for: camera, sealer: sealer, now: Date())
            let service = RecordingService(database: { app.db }, configuration: try Self.configuration(app, folder: folder), sealer: sealer)
            try await whileRunning([service]) {

                try await Self.eventually("the camera to record") { service.pipeline(for: camera) != nil }
                let pipeline = try #require(service.pipeline(for: camera))
                var liveStream = pipeline.live.subscribe().makeAsyncIterator()
                guard case .initialization(_, let codec)? = await liveStream.next() else {
                    Issue.record("live video did not start with an initialisation segment")
                    return
                }
                #expect(codec?.hasPrefix("avc1.") == true)
                guard case .fragment? = await liveStream.next() else { Issue.record("no live fragment"); return }
                try await Self.eventually("three segments") {
                    try await RecordingRepository(database: app.db).allSegments(camera: camera).count >= 3
                }
                #expect(pipeline.frames.counts.received >= 10)
                let frame = try #require(pipeline.frames.take())
                #expect(frame.width == 320 && frame.height == 180 && frame.pixels.count == 320 * 180 * 3 / 2, "analysis frames are yuv420p")
                #expect(await pipeline.health == .online)

            }
            let segments = try await RecordingRepository(database: app.db).allSegments(camera: camera)
            #expect(segments.count >= 3)
            let lastStart = segments.map(\.start).max()
            for segment in segments {
                let facts = try MediaFixtures.probe(segment.path)
                #expect(facts.streams == ["video"], "\(segment.path) holds \(facts.streams): audio must never be recorded")
                // Segments are cut at the first keyframe after 2 s; only the one closed by the
                // shutdown may be shorter, but it must still hold video.
                #expect(facts.duration > (segment.start == lastStart ? 0 : 1.5), "\(segment.path): \(facts.duration) s")
                #expect(abs(segment.end.timeIntervalSince(segment.start) - facts.duration) < 0.5)
            }
            let history = try await RecordingRepository(database: app.db).healthHistory(camera: camera).map(\.to).reversed()
            #expect(Array(history.prefix(2)) == ["connecting", "online"])
            #expect(history.last == "disabled")
        }
    }

    @Test func aSourceThatCannotBeReadGoesOfflineWithAReasonAndOthersKeepRecording() async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: false)
        let folder = try RepositoryPaths.temporaryFolder("recording")
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("garbage.mp4")
        try Data((0..<200_000).map { _ in UInt8.random(in: 0...255) }).write(to: garbage)
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(3)
            let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
            let repository = RecordingRepository(database: app.db)
            try await repository.setStream(CameraStream(mainURL: clip, loop: true), for: cameras[0], sealer: sealer, now: Date())
            try await repository.setStream(CameraStream(mainURL: garbage.path, loop: true), for: cameras[1], sealer: sealer, now: Date())
            // A camera that never answers: a TCP port nobody listens on behind an RTSP URL.
            try await repository.setStream(CameraStream(mainURL: "rtsp://127.0.0.1:9/none"), for: cameras[2], sealer: sealer, now: Date())
            let service = RecordingService(database: { app.db }, configuration: try Self.configuration(app, folder: folder), sealer: sealer)
            try await whileRunning([service]) {
                try await Self.eventually("the broken cameras to go offline and the good one to record") {
                    let health = try await CameraModel.query(on: app.db).all().reduce(into: [UUID: String]()) { $0[$1.id!] = $1.health ?? "" }
                    let segments = try await repository.allSegments(camera: cameras[0]).count
                    return health[cameras[1]] == "offline" && health[cameras[2]] == "offline" && segments >= 2
                }
                let garbageHealth = try await repository.healthHistory(camera: cameras[1]).first { $0.to == "offline" }
                #expect(garbageHealth?.reason.contains("ffmpeg") == true, "\(garbageHealth?.reason ?? "no reason")")
                #expect(try await CameraModel.find(cameras[0], on: app.db)?.health == "online")
            }
        }
    }
}
