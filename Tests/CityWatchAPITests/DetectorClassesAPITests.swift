import CityWatchAPI
import CityWatchApp
import CityWatchDetection
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Crypto
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Person tracks on a real street get their class in a running server, and its tripwire (a
/// detector-led camera) raises crossings by persons, beside cameras whose
/// moving shapes the detector never names (issue 14, #1: in `serve`, 0 of 680 tracks on a real
/// street clip were classified while other cameras kept the detector's one shared line full).
@Suite("Detector classes in a running server")
struct DetectorClassesAPITests {
    static let model = RepositoryPaths.sharedData("../models/yolox_nano.onnx").standardizedFileURL.path
    static let video = RepositoryPaths.sharedData("vtest.avi").path
    static var available: Bool {
        FileManager.default.fileExists(atPath: model) && FileManager.default.fileExists(atPath: video) && MediaFixtures.available
    }

    @Test(.enabled(if: available, "needs the model, vtest.avi and ffmpeg"), .timeLimit(.minutes(3)))
    func peopleOnARealStreetAreClassifiedBesideBusyPatternCameras() async throws {
        let folder = try RepositoryPaths.temporaryFolder("detector-classes")
        defer { try? FileManager.default.removeItem(at: folder) }
        // vtest.avi as a camera would send it: H.264 (its own MPEG-4 part 2 is not what cameras send).
        let street = folder.appendingPathComponent("street.mp4").path
        _ = try await runProgramDetached(MediaFixtures.ffmpeg, ["-hide_banner", "-loglevel", "error", "-i", Self.video, "-t", "40",
                                                                "-c:v", "libx264", "-preset", "veryfast", "-g", "20", "-bf", "0", "-an", "-y", street])
        let pattern = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: false)
        let token = "metrics-" + UUID().uuidString
        try await withCityWatch(.sqlite, adjust: { $0.metricsToken = token }) { app in
            let cameras = try await app.makeCameras(4)
            var configuration = app.cityWatch.configuration
            configuration.recordingsDirectory = folder.appendingPathComponent("recordings").path
            configuration.dataDirectory = folder.path
            configuration.segmentSeconds = 4
            let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
            // Three pattern cameras (moving shapes the detector never names: they ask again and again) and the street.
            for (index, camera) in cameras.enumerated() {
                try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: index == 3 ? street : pattern, loop: true),
                                                                          for: camera, sealer: sealer, now: Date())
            }
            // The street has a rule, so it runs detector-led: tracks from the detector's looks, the
            // rule counting named objects. The pattern cameras have none: motion-only, tracks asking
            // for a class one by one.
            let tripwire = AnalyticsRule(name: "walkway", kind: .lineCrossing(line: ImageLine(start: ImagePoint(x: 0.4167, y: 0.6215),
                                                                                               end: ImagePoint(x: 0.4167, y: 0.2986)),
                                                                              direction: .either), coolDownSeconds: 0)
            let streetSettings = CameraAnalyticsSettings(rules: [tripwire])
            #expect(streetSettings.isDetectorLed(detectorLoaded: true) && !CameraAnalyticsSettings().isDetectorLed(detectorLoaded: true))
            try await AnalyticsRepository(database: app.db).setSettings(streetSettings, for: cameras[3], by: "test", now: Date())
            let recording = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer)
            app.recording = recording
            let analytics = AnalyticsService(database: { app.db }, recording: recording, dataDirectory: folder.path,
                                             detector: try ObjectDetector(modelPath: Self.model))
            app.analytics = analytics
            try await whileRunning([recording, analytics]) {
                try await RecordingAPITests.eventually(timeout: .seconds(120)) {
                    let tracks = try await SearchIndexRepository(database: app.db).tracks(cameras: [cameras[3]], from: Date().addingTimeInterval(-600),
                                                                                          to: Date().addingTimeInterval(60))
                    return tracks.filter { $0.objectClass == .person }.count >= 5
                }
                // People on the walkway cross the line within the clip's first 20 s.
                try await RecordingAPITests.eventually(timeout: .seconds(60)) {
                    try await AnalyticsRepository(database: app.db).events(cameras: [cameras[3]], kinds: ["lineCrossing"])
                        .contains { $0.classes.contains(.person) }
                }
                let statistics = try #require(analytics.detectorStatistics)
                #expect(statistics.runs > 0 && (statistics.answered[.person] ?? 0) > 0, "\(statistics)")
                let metrics = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer \(token)"]).body.string
                #expect(metrics.contains("citywatch_detector_runs "), "\(metrics.prefix(400))")
                #expect(metrics.contains("citywatch_detector_answers{class=\"person\"}"))
                #expect(metrics.contains("citywatch_detector_queue "))
                #expect(metrics.contains("citywatch_analytics_write_queue "))
            }
        }
    }
}
