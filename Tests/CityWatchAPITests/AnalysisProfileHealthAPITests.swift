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

/// A model file that is missing or corrupt leaves the cameras that should run detector-led on
/// motion alone, and their health says so and why (issue 14, bad input).
@Suite("Analysis profile in camera health")
struct AnalysisProfileHealthAPITests {
    struct Health: Decodable {
        struct Analysis: Decodable {
            var profile: String
            var reason: String?
        }

        var analysis: Analysis?
    }

    @Test func aCorruptModelLeavesRuleCamerasOnMotionAloneAndTheirHealthSaysWhy() async throws {
        let folder = try RepositoryPaths.temporaryFolder("corrupt-model")
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("yolox_nano.onnx")
        try Data("not an ONNX model".utf8).write(to: model)
        // What serve does with the file: the detector refuses it, and the reason goes to the service.
        var problem: String?
        do { _ = try ObjectDetector(modelPath: model.path) } catch { problem = error.description }
        let reason = try #require(problem)
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(3)
            let rule = AnalyticsRule(name: "gate", kind: .intrusion(zone: ImagePolygon(points: [
                ImagePoint(x: 0.1, y: 0.1), ImagePoint(x: 0.9, y: 0.1), ImagePoint(x: 0.5, y: 0.9)])))
            let repository = AnalyticsRepository(database: app.db)
            try await repository.setSettings(CameraAnalyticsSettings(rules: [rule]), for: cameras[0], by: "test", now: Date())
            try await repository.setSettings(CameraAnalyticsSettings(rules: [rule], profile: .motionOnly), for: cameras[1], by: "test", now: Date())
            try await repository.setSettings(CameraAnalyticsSettings(enabled: false), for: cameras[2], by: "test", now: Date())
            let recording = RecordingService(database: { app.db }, configuration: app.cityWatch.configuration,
                                             sealer: CredentialSealer(key: SymmetricKey(size: .bits256)))
            app.analytics = AnalyticsService(database: { app.db }, recording: recording, dataDirectory: folder.path,
                                             detector: nil, detectorProblem: reason)
            let viewer = try await app.signIn(as: .administrator)
            func health(_ camera: UUID) async throws -> Health.Analysis? {
                let answer = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/health", headers: viewer.headers)
                #expect(answer.status == .ok)
                return try answer.content.decode(Health.self).analysis
            }
            let wanted = try #require(try await health(cameras[0]))
            #expect(wanted.profile == "motionOnly")
            #expect(wanted.reason?.contains(model.path) == true, "\(wanted.reason ?? "no reason")")
            let chosen = try #require(try await health(cameras[1]))
            #expect(chosen.profile == "motionOnly" && chosen.reason == nil, "motion-only by choice needs no excuse")
            #expect(try await health(cameras[2])?.profile == "off")
        }
    }
}
