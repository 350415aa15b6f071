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
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing
import Vapor
import VaporTesting
import WebSocketKit

@Suite("Recording API", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct RecordingAPITests {
    struct StreamRow: Decodable {
        var mainURL: String
        var username: String?
        var hasPassword: Bool
    }

    struct Recordings: Decodable {
        struct Segment: Decodable {
            var id: UUID
            var start: Date
            var end: Date
        }

        struct Range: Decodable {
            var start: Date
            var end: Date
        }

        var ranges: [Range]
        var segments: [Segment]
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    @Test(arguments: DatabaseKind.allCases)
    func streamCredentialsAreStoredSealedAndNeverShown(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let admin = try await app.signIn(as: .administrator)
            let put = try await app.testing().sendRequest(.PUT, "/api/cameras/\(camera)/stream", headers: admin.headers,
                                                          body: .text("{\"mainURL\": \"rtsp://viewer:Pa55w0rd!@10.1.2.3:554/Streaming/101\"}"))
            #expect(put.status == .ok)
            #expect(!put.body.string.contains("Pa55w0rd"))
            let shown = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/stream", headers: admin.headers).content.decode(StreamRow.self)
            #expect(shown.mainURL == "rtsp://10.1.2.3:554/Streaming/101" && shown.username == "viewer" && shown.hasPassword)
            let stored = try #require(try await CameraStreamModel.find(camera, on: app.db))
            #expect(stored.passwordSealed != nil && stored.passwordSealed?.contains("Pa55w0rd") == false)
            let audit = try await AuditLog(database: app.db).list(.init(action: "camera.stream"))
            #expect(audit.count == 1 && !audit[0].details.contains("Pa55w0rd"))
            let bad = try await app.testing().sendRequest(.PUT, "/api/cameras/\(camera)/stream", headers: admin.headers,
                                                          body: .text("{\"mainURL\": \"ftp://nope\"}"))
            #expect(bad.status == .badRequest && bad.body.string.contains("rtsp://"))
            let operatorUser = try await app.signIn(as: .operator)
            #expect(try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/stream", headers: operatorUser.headers).status == .forbidden)
        }
    }

    @Test func liveVideoPlaybackAndTheirAuditOverARealServer() async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true)
        let folder = try RepositoryPaths.temporaryFolder("live")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let camera = cameras[0]
            let recording = try await Self.recordLooping(clip, camera: camera, into: folder, app: app)
            try await whileRunning([recording]) {
                let admin = try await app.signIn(as: .administrator)
                let created = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                                  body: .text("{\"name\": \"street\", \"rule\": {\"purposes\": [\"crimePrevention\"]}}"))
                let groupID = try #require(try JSONDecoder().decode([String: AnyDecodable].self, from: Data(created.body.readableBytesView))["id"]?.text
                    .flatMap(UUID.init(uuidString:)))
                let officer = try await app.signIn(as: .operator, groups: [groupID])

                // Live: over a real socket, as the console does.
                let port = try await app.startOnFreePort()
                let received = try await Self.watchLive(port: port, camera: camera, cookie: officer.cookie, fragments: 5)
                #expect(received.codec?.hasPrefix("avc1.") == true)
                #expect(received.binaryMessages >= 6)
                #expect(received.masked == false, "the camera has no privacy masks")
                await app.server.shutdown()

                // Playback: the timeline, then a segment.
                try await Self.eventually { try await RecordingRepository(database: app.db).allSegments(camera: camera).count >= 2 }
                let timeline = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/recordings", headers: officer.headers)
                let recordings = try Self.decoder().decode(Recordings.self, from: Data(timeline.body.readableBytesView))
                #expect(recordings.segments.count >= 2 && recordings.ranges.count == 1)
                let first = try #require(recordings.segments.first)
                let video = try await app.testing().sendRequest(.GET, "/api/segments/\(first.id)/video", headers: officer.headers)
                #expect(video.status == .ok && video.headers.contentType?.subType == "mp4" && video.body.readableBytes > 1_000)
                let more = try await app.testing().sendRequest(.GET, "/api/segments/\(first.id)/video",
                                                               headers: officer.headers.adding("Range", "bytes=500-"))
                #expect(more.status == .partialContent)

                // Someone without the camera's group sees neither.
                let stranger = try await app.signIn(as: .police)
                #expect(try await app.testing().sendRequest(.GET, "/api/segments/\(first.id)/video", headers: stranger.headers).status == .notFound)
                #expect(try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/recordings", headers: stranger.headers).status == .notFound)

                try await Self.eventually { try await AuditLog(database: app.db).list(.init(action: "video.live.end")).count == 1 }
                let audit = try await AuditLog(database: app.db).list(.init(actor: officer.username, action: "video"))
                #expect(Set(audit.map(\.action)) == ["video.live.start", "video.live.end", "video.playback"])
                #expect(audit.filter { $0.action == "video.playback" }.count == 1, "a range request continues a playback")
                #expect(audit.allSatisfy { $0.target == camera.uuidString })

            }
        }
    }

    @Test func retentionKeepsHeldFootageAndAuditsWhatItDeletes() async throws {
        let clock = TestClock(start: Date())
        try await withCityWatch(.sqlite, clock: clock.closure) { app in
            let cameras = try await app.makeCameras(2)
            let folder = try RepositoryPaths.temporaryFolder("retention")
            defer { try? FileManager.default.removeItem(at: folder) }
            let repository = RecordingRepository(database: app.db)
            // Forty days of one-hour segments on two cameras (small files stand in for video).
            for camera in cameras {
                for hour in stride(from: 0, to: 40 * 24, by: 24) {
                    let path = folder.appendingPathComponent("\(camera)-\(hour).mp4").path
                    try Data(count: 1_000).write(to: URL(fileURLWithPath: path))
                    let end = clock.now.addingTimeInterval(-Double(hour + 12) * 3_600)
                    try await repository.addSegment(.init(cameraID: camera, path: path, start: end.addingTimeInterval(-3_600), end: end, bytes: 1_000), now: clock.now)
                }
            }
            let admin = try await app.signIn(as: .administrator)
            let group = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                            body: .text("{\"name\": \"all street cameras\", \"rule\": {\"purposes\": [\"crimePrevention\"]}}"))
            let groupID = try JSONDecoder().decode([String: AnyDecodable].self, from: Data(group.body.readableBytesView))["id"]?.text
            let privacy = try await app.signIn(as: .privacyOfficer, groups: [try #require(groupID.flatMap(UUID.init(uuidString:)))])
            let holdFrom = clock.now.addingTimeInterval(-35 * 86_400), holdTo = clock.now.addingTimeInterval(-33 * 86_400)
            let created = try await app.testing().sendRequest(.POST, "/api/holds", headers: privacy.headers, body: .text("""
                {"cameraId": "\(cameras[0])", "from": "\(ISO8601DateFormatter().string(from: holdFrom))", "to": "\(ISO8601DateFormatter().string(from: holdTo))", "reason": "경찰 수사 협조 2026-1234"}
                """))
            #expect(created.status == .created)
            let setDays = try await app.testing().sendRequest(.PUT, "/api/retention", headers: privacy.headers, body: .text("{\"purposes\": {\"crimePrevention\": 30}}"))
            #expect(setDays.status == .ok)

            let sweeper = RetentionSweeper(database: { app.db }, configuration: app.cityWatch.configuration, clock: clock.closure)
            let report = try await sweeper.sweep()
            // Days 30–39 go (ten segments a camera), except the two held days of the first camera.
            #expect(report.expired == 10 + 8)
            let left = try await repository.allSegments(camera: cameras[0])
            #expect(left.contains { $0.end > holdFrom && $0.start < holdTo && $0.end < clock.now.addingTimeInterval(-30 * 86_400) })
            #expect(left.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
            let entry = try #require(try await AuditLog(database: app.db).list(.init(action: "retention.delete")).first)
            #expect(entry.details.contains("\"expired\":18"))

            // With a quota, the oldest unheld footage goes next.
            var tight = app.cityWatch.configuration
            tight.recordingQuotaBytes = 20_000
            let quota = try await RetentionSweeper(database: { app.db }, configuration: tight, clock: clock.closure).sweep()
            #expect(quota.overQuota > 0 && quota.bytesAfter <= 20_000)
            #expect(try await repository.allSegments(camera: cameras[0]).contains { $0.end > holdFrom && $0.start < holdTo })
        }
    }

    /// Opens the live WebSocket with the session cookie and counts what arrives.
    /// A recording service for the app that records `clip` in a loop as `camera`'s stream, in
    /// 2-second segments under `folder` (not yet running); the cameras of `others` record their
    /// streams beside it.
    static func recordLooping(_ clip: String, camera: UUID, into folder: URL, app: Application,
                              segmentSeconds: Int = 2, analysisFrames: Bool = true,
                              others: [UUID: CameraStream] = [:]) async throws -> RecordingService {
        var configuration = app.cityWatch.configuration
        configuration.recordingsDirectory = folder.appendingPathComponent("recordings").path
        configuration.dataDirectory = folder.path
        configuration.segmentSeconds = segmentSeconds
        configuration.analysisFrames = analysisFrames
        let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
        try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: clip, loop: true), for: camera, sealer: sealer, now: Date())
        for (other, stream) in others {
            try await RecordingRepository(database: app.db).setStream(stream, for: other, sealer: sealer, now: Date())
        }
        let recording = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer)
        app.recording = recording
        return recording
    }

    static func watchLive(port: Int, camera: UUID, cookie: String, fragments: Int) async throws -> LiveReceipt {
        let state = LiveState()
        let done = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        do {
            try await WebSocket.connect(to: "ws://127.0.0.1:\(port)/api/cameras/\(camera)/live",
                                        headers: ["Cookie": "cw_session=\(cookie)"], configuration: .init(maxFrameSize: 1 << 24),
                                        on: MultiThreadedEventLoopGroup.singleton) { socket in
                socket.onText { _, text in state.header(text) }
                socket.onBinary { socket, bytes in
                    if state.binary(bytes) == fragments + 1 { _ = socket.close(); done.succeed(()) }
                }
            }.get()
        } catch {
            done.fail(error)
            throw error
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await done.futureResult.get() }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                done.fail(CancellationError())
            }
            try await group.next()
            group.cancelAll()
        }
        return state.result
    }

    static func eventually(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("condition not met within \(timeout)")
    }
}

/// What a live test socket received.
struct LiveReceipt: Sendable {
    var codec: String?
    var masked: Bool?
    var binaryMessages = 0
    /// The binary messages joined: the initialisation segment and the fragments, a playable MP4.
    var bytes: [UInt8] = []
}

private final class LiveState: @unchecked Sendable {
    // @unchecked: every access holds the lock.
    private let lock = NSLock()
    private var receipt = LiveReceipt()

    func header(_ text: String) {
        lock.withLock {
            if let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                receipt.codec = object["codec"] as? String
                receipt.masked = object["masked"] as? Bool
            }
        }
    }

    func binary(_ bytes: ByteBuffer) -> Int {
        lock.withLock {
            receipt.binaryMessages += 1
            receipt.bytes += bytes.readableBytesView
            return receipt.binaryMessages
        }
    }

    var result: LiveReceipt { lock.withLock { receipt } }
}

extension HTTPHeaders {
    /// A copy with one more header.
    func adding(_ name: String, _ value: String) -> HTTPHeaders {
        var copy = self
        copy.add(name: name, value: value)
        return copy
    }
}

/// Just enough of a JSON value to read an id out of an answer.
struct AnyDecodable: Decodable {
    var text: String?

    init(from decoder: any Decoder) throws {
        text = try? decoder.singleValueContainer().decode(String.self)
    }
}
