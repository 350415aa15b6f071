import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting
import WebSocketKit

/// `/metrics`: Vapor's own request metrics through the process's swift-metrics backend, the
/// node's gauges read at scrape time, and the token in front of both.
///
/// The process's registry is shared by every test app in this process, so figures from it are
/// compared before and after (they only grow); the gauges belong to the app scraped.
@Suite("Metrics")
struct MetricsAPITests {
    static let token = "metrics-token-for-the-metrics-tests"

    /// The value of `series` (a name and its labels, as Prometheus writes them) in `text`.
    static func sample(_ series: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    static func scrape(_ app: Application) async throws -> String {
        let response = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer \(token)"])
        #expect(response.status == .ok)
        return response.body.string
    }

    @Test func vaporCountsRequestsByRouteNotByPathAndTheTokenIsStillRequired() async throws {
        try await withCityWatch(.sqlite, adjust: { $0.metricsToken = Self.token }) { app in
            let refused = try await app.testing().sendRequest(.GET, "/metrics")
            #expect(refused.status == .unauthorized)
            #expect(refused.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            let wrong = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer not-\(Self.token)"])
            #expect(wrong.status == .unauthorized && !wrong.body.string.contains("http_requests_total"))

            let series = "http_requests_total{method=\"GET\",path=\"/api/cameras/:id\",status=\"401\"}"
            let before = Self.sample(series, in: try await Self.scrape(app)) ?? 0
            let cameras = (0..<3).map { _ in UUID().uuidString }
            for camera in cameras {
                #expect(try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)").status == .unauthorized)
            }
            let unknown = "no-such-page-\(UUID().uuidString)"
            #expect(try await app.testing().sendRequest(.GET, "/\(unknown)").status == .notFound)
            let text = try await Self.scrape(app)

            let after = try #require(Self.sample(series, in: text), "\(text.prefix(600))")
            #expect(after >= before + 3)
            #expect(text.contains("http_request_duration_seconds_bucket{method=\"GET\",path=\"/api/cameras/:id\",status=\"401\",le=\"0.001\"}"))
            #expect((Self.sample("http_requests_total{method=\"undefined\",path=\"vapor_route_undefined\",status=\"404\"}", in: text) ?? 0) >= 1)
            // A path a client makes up never becomes a series of its own.
            #expect(!cameras.contains { text.contains($0) } && !text.contains(unknown))
            #expect(!text.contains("citywatch_http_requests_total"), "the old middleware's counter is gone")
            #expect(Self.sample("citywatch_ffmpeg_restarts_total", in: text) != nil, "the pipelines' counters show before their first event")
        }
    }

    @Test(.enabled(if: MediaFixtures.available, "needs ffmpeg"), .timeLimit(.minutes(2)))
    func gaugesShowTheCamerasRecordedTheirHealthRestartsAndLiveViewers() async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: false)
        let folder = try RepositoryPaths.temporaryFolder("metrics")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite, adjust: { $0.metricsToken = Self.token }) { app in
            let cameras = try await app.makeCameras(2)
            let missing = folder.appendingPathComponent("no-such-clip.mp4").path
            let recording = try await RecordingAPITests.recordLooping(clip, camera: cameras[0], into: folder, app: app,
                                                                      others: [cameras[1]: CameraStream(mainURL: missing)])
            let restarts = Self.sample("citywatch_ffmpeg_restarts_total", in: try await Self.scrape(app)) ?? 0
            let admin = try await app.signIn(as: .administrator)
            try await whileRunning([recording]) {
                // One camera records; the other's ffmpeg finds no file, fails and is started again.
                try await RecordingAPITests.eventually {
                    let text = try await Self.scrape(app)
                    return Self.sample("citywatch_recording_cameras{health=\"online\"}", in: text) == 1
                        && (Self.sample("citywatch_ffmpeg_restarts_total", in: text) ?? 0) > restarts
                }
                let text = try await Self.scrape(app)
                let byHealth = CameraHealth.allCases.compactMap { Self.sample("citywatch_recording_cameras{health=\"\($0.rawValue)\"}", in: text) }
                #expect(byHealth.count == CameraHealth.allCases.count && byHealth.reduce(0, +) == 2, "\(byHealth)")
                #expect(Self.sample("citywatch_recording_indexing_stalled_cameras", in: text) == 0)
                #expect(Self.sample("citywatch_analysis_frames_dropped", in: text) != nil)
                #expect(Self.sample("citywatch_live_viewers", in: text) == 0)

                let port = try await app.startOnFreePort()
                let (seen, socket) = try await LiveAccessTests.open("ws://127.0.0.1:\(port)/api/cameras/\(cameras[0])/live",
                                                                    headers: ["Cookie": "cw_session=\(admin.cookie)"])
                try await RecordingAPITests.eventually { seen.binaryMessages >= 2 }
                #expect(Self.sample("citywatch_live_viewers", in: try await Self.scrape(app)) == 1)
                try await socket.close()
                try await RecordingAPITests.eventually { Self.sample("citywatch_live_viewers", in: try await Self.scrape(app)) == 0 }
            }
        }
    }
}
