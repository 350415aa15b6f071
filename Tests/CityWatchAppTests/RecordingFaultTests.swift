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

/// Faults a recorder meets in the field, against real peers: an RTSP camera that goes away and
/// comes back, the recorder killed outright, a full disk.
@Suite("Recording faults", .serialized, .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct RecordingFaultTests {
    static func health(_ app: Application, _ camera: UUID) async throws -> String? {
        try await CameraModel.find(camera, on: app.db)?.health
    }

    @Test(.enabled(if: SyntheticRTSPCamera.available, "needs GStreamer's RTSP server (python3-gi, gir1.2-gst-rtsp-server-1.0)"),
          .timeLimit(.minutes(3)))
    func rtspCameraThatDropsAndReturnsIsReconnectedWithTheGapRecorded() async throws {
        let clip = URL(fileURLWithPath: try MediaFixtures.clip(seconds: 10, gop: 25, bFrames: true))
        let folder = try RepositoryPaths.temporaryFolder("rtsp-fault")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = SyntheticRTSPCamera.freePort()
        // The camera asks for a password, so the stream is read through its input script
        // (RecordingCommand): reconnecting must work that way too.
        let user = "operator:fault-\(UUID().uuidString.prefix(8))"
        var source: SyntheticRTSPCamera? = try await SyntheticRTSPCamera.start(port: port, mounts: ["cam": clip], user: user)
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
            let repository = RecordingRepository(database: app.db)
            try await repository.setStream(try CameraStream(mainURL: "rtsp://\(user)@127.0.0.1:\(port)/cam").validated(), for: camera, sealer: sealer, now: Date())
            let configuration = try RecordingServiceTests.configuration(app, folder: folder)
            let service = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer)
            try await whileRunning([service]) {

                try await RecordingServiceTests.eventually("two segments over RTSP", timeout: .seconds(60)) {
                    try await repository.allSegments(camera: camera).count >= 2
                }
                let before = try await repository.allSegments(camera: camera).count
                _ = await source?.stop()
                source = nil
                try await RecordingServiceTests.eventually("the camera to go offline", timeout: .seconds(60)) {
                    try await Self.health(app, camera) == "offline"
                }
                source = try await SyntheticRTSPCamera.start(port: port, mounts: ["cam": clip], user: user)
                try await RecordingServiceTests.eventually("the camera to come back", timeout: .seconds(90)) {
                    try await Self.health(app, camera) == "online"
                }
                try await RecordingServiceTests.eventually("recording to go on", timeout: .seconds(60)) {
                    try await repository.allSegments(camera: camera).count >= before + 2
                }
            }
            _ = await source?.stop()

            let gaps = try await repository.gaps(camera: camera, from: .distantPast, to: .distantFuture)
            #expect(gaps.count == 1 && gaps[0].to > gaps[0].from)
            let states = try await repository.healthHistory(camera: camera).map(\.to)
            #expect(states.contains("offline") && states.contains("reconnecting"))
            for segment in try await repository.allSegments(camera: camera) {
                let facts = try MediaFixtures.probe(segment.path)
                #expect(facts.streams == ["video"] && facts.duration > 0, "\(segment.path): \(facts)")
            }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func diskQuotaIsKeptByDeletingTheOldestWhileRecordingGoesOn() async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: false)
        let folder = try RepositoryPaths.temporaryFolder("quota")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
            let repository = RecordingRepository(database: app.db)
            for camera in cameras {
                try await repository.setStream(CameraStream(mainURL: clip, loop: true), for: camera, sealer: sealer, now: Date())
            }
            var configuration = try RecordingServiceTests.configuration(app, folder: folder)
            configuration.recordingQuotaBytes = 400_000
            let service = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer)
            let sweeper = RetentionSweeper(database: { app.db }, configuration: configuration)
            try await whileRunning([service]) {
                var freed: Int64 = 0
                try await RecordingServiceTests.eventually("the quota to be reached and kept", timeout: .seconds(90)) {
                    let report = try await sweeper.sweep()
                    freed += report.bytesFreed
                    return freed > 0 && report.bytesAfter <= 400_000
                }
                let afterSweep = try await repository.allSegmentsOldestFirst()
                let newest = afterSweep.map(\.end).max() ?? .distantPast
                try await RecordingServiceTests.eventually("recording to go on after deletions", timeout: .seconds(30)) {
                    try await repository.allSegmentsOldestFirst().contains { $0.end > newest }
                }
            }
            let kept = try await repository.allSegmentsOldestFirst()
            #expect(kept.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
            #expect(try await AuditLog(database: app.db).list(.init(action: "retention.delete")).isEmpty == false)
        }
    }
}
