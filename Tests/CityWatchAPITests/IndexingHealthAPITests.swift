import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Footage that arrives on disk while its rows cannot be written is not silent: the camera's
/// health, `/healthz` and `/metrics` say indexing stalled, and nothing is lost once the store
/// takes rows again.
@Suite("Indexing health", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct IndexingHealthAPITests {
    static let metricsToken = "metrics-token-for-the-indexing-test"
    struct Health: Decodable {
        struct Indexing: Decodable {
            var state: String
            var waiting: Int
            var problem: String?
        }

        struct Transition: Decodable {
            var to: String
        }

        var health: String
        var reason: String?
        var indexing: Indexing?
        var history: [Transition]
    }

    @Test(.timeLimit(.minutes(2)))
    func segmentsKeptOutOfTheIndexShowAsStalledUntilTheyLandAndNoneIsLost() async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: false)
        let folder = try RepositoryPaths.temporaryFolder("index-stall")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite, adjust: { $0.indexStallSeconds = 4; $0.metricsToken = Self.metricsToken }) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let recording = try await RecordingAPITests.recordLooping(clip, camera: camera, into: folder, app: app)
            let admin = try await app.signIn(as: .administrator)
            let sql = try #require(app.db as? any SQLDatabase)
            @Sendable func health() async throws -> Health {
                try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/health", headers: admin.headers).content.decode(Health.self)
            }
            @Sendable func text(_ path: String) async throws -> String {
                try await app.testing().sendRequest(.GET, path, headers: ["Authorization": "Bearer \(Self.metricsToken)"]).body.string
            }
            try await whileRunning([recording]) {
                try await RecordingAPITests.eventually { try await RecordingRepository(database: app.db).allSegments(camera: camera).count >= 2 }
                #expect(try await health().indexing?.state == "ok")
                #expect(try await text("/metrics").contains("citywatch_recording_indexing_stalled_cameras 0"))

                // The store stops taking segment rows, as a broken disk or schema would make it.
                try await sql.raw("ALTER TABLE segments RENAME TO segments_away").run()
                try await RecordingAPITests.eventually { try await health().health == RecordingService.indexingStalled }
                let stalled = try await health()
                #expect(stalled.indexing?.state == "stalled" && (stalled.indexing?.waiting ?? 0) >= 1)
                #expect(stalled.reason?.contains("no such table") == true, "\(stalled.reason ?? "no reason")")
                #expect(try await text("/metrics").contains("citywatch_recording_indexing_stalled_cameras 1"))
                #expect(try await text("/healthz").contains("indexing stalled on 1 camera"))

                try await sql.raw("ALTER TABLE segments_away RENAME TO segments").run()
                try await RecordingAPITests.eventually {
                    let closed = RecordingFolder.segmentFiles(folder, camera).sorted().dropLast()
                    let indexed = Set(try await RecordingRepository(database: app.db).allSegments(camera: camera).map(\.path))
                    return try await health().indexing?.state == "ok" && closed.allSatisfy(indexed.contains)
                }
                let recovered = try await health()
                #expect(recovered.health != RecordingService.indexingStalled)
                #expect(recovered.history.contains { $0.to == RecordingService.indexingStalled }, "the stall is kept in the camera's history")
                #expect(try await text("/metrics").contains("citywatch_recording_indexing_stalled_cameras 0"))
            }
        }
    }
}
