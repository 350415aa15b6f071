import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import InMemoryLogging
import Logging
import Testing
import Vapor
import VaporTesting

/// A camera's password, given once through the API, is read by ffmpeg and by nothing and
/// nobody else: not on any process's command line (which every local user can read), not in a
/// log line, a health reason, an error or an API answer — with a wrong password and a right one,
/// against a real RTSP server that asks for it.
@Suite("Camera passwords", .serialized,
       .enabled(if: MediaFixtures.available && SyntheticRTSPCamera.available, "needs ffmpeg and GStreamer's RTSP server"))
struct CameraPasswordTests {
    /// The command lines of the running processes that mention `folder`, as `ps` shows them.
    static func commandLines(mentioning folder: String) -> [String] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { $0.allSatisfy(\.isNumber) } ?? []
        return pids.compactMap { pid in
            guard let bytes = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !bytes.isEmpty else { return nil }
            let line = String(decoding: bytes.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
            return line.contains(folder) ? line : nil
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func passwordNeverReachesACommandLineLogHealthReasonErrorOrAPIAnswer() async throws {
        let clip = URL(fileURLWithPath: try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true))
        let password = "Right-\(UUID().uuidString.prefix(8))"
        let wrong = "Wr@ng-\(UUID().uuidString.prefix(8))"
        let secrets = [password, wrong, "Wr%40ng-" + wrong.dropFirst("Wr@ng-".count)]
        let port = SyntheticRTSPCamera.freePort()
        let source = try await SyntheticRTSPCamera.start(port: port, mounts: ["cam": clip], user: "viewer:\(password)")
        let logs = InMemoryLogHandler()
        var seen: [String] = []
        var answers: [String] = []
        do {
            try await withCityWatch(.sqlite) { app in
                let handler = { var handler = logs; handler.logLevel = .trace; return handler }()
                app.logger = Logger(label: "citywatch.test") { _ in handler }
                let camera = try #require(try await app.makeCameras(1).first)
                let admin = try await app.signIn(as: .administrator)
                func setStream(_ secret: String) async throws {
                    let encoded = secret.replacingOccurrences(of: "@", with: "%40")
                    let put = try await app.testing().sendRequest(.PUT, "/api/cameras/\(camera)/stream", headers: admin.headers,
                                                                  body: .text("{\"mainURL\": \"rtsp://viewer:\(encoded)@127.0.0.1:\(port)/cam\"}"))
                    #expect(put.status == .ok, "\(put.body.string)")
                    answers.append(put.body.string)
                }
                try await setStream(wrong)
                var configuration = app.cityWatch.configuration
                configuration.recordingsDirectory = (configuration.dataDirectory as NSString).appendingPathComponent("recordings")
                configuration.segmentSeconds = 2
                configuration.stallSeconds = 4
                let sealer = try CredentialSealer.load(base64: nil, folder: (configuration.dataDirectory as NSString).appendingPathComponent("keys"))
                let service = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer,
                                               logger: Logger(label: "citywatch.recording") { _ in handler })
                app.recording = service
                let repository = RecordingRepository(database: app.db)
                let runtime = ((configuration.dataDirectory as NSString).appendingPathComponent("run") as NSString).appendingPathComponent(camera.uuidString)
                // A script left by a recorder killed outright, of a camera no longer recorded: removed at start.
                let left = ((configuration.dataDirectory as NSString).appendingPathComponent("run/\(UUID().uuidString)") as NSString)
                    .appendingPathComponent("input-main.ffconcat")
                try FileManager.default.createDirectory(atPath: (left as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                #expect(FileManager.default.createFile(atPath: left, contents: Data("file 'rtsp://viewer:old@10.0.0.9/cam'\n".utf8)))
                try await whileRunning([service]) {
                    // The wrong password: the camera refuses it, and the health says so.
                    try await waitUntil("the camera to refuse the wrong password", timeout: .seconds(60), pollingEvery: .milliseconds(20)) {
                        seen += Self.commandLines(mentioning: configuration.dataDirectory)
                        return try await repository.healthHistory(camera: camera).contains { $0.reason.contains("401") }
                    }
                    // The right one: recorded.
                    try await setStream(password)
                    try await waitUntil("a segment recorded with the right password", timeout: .seconds(60), pollingEvery: .milliseconds(20)) {
                        seen += Self.commandLines(mentioning: configuration.dataDirectory)
                        return try await repository.allSegments(camera: camera).count >= 1
                    }
                    seen += Self.commandLines(mentioning: configuration.dataDirectory)
                    // Video flows: ffmpeg has read its script, which is gone; the folder is CityWatch's alone.
                    #expect(!FileManager.default.fileExists(atPath: (runtime as NSString).appendingPathComponent("input-main.ffconcat")))
                    #expect(!FileManager.default.fileExists(atPath: left), "a script left by a killed recorder")
                    let mode = try FileManager.default.attributesOfItem(atPath: runtime)[.posixPermissions] as? NSNumber
                    #expect(mode?.intValue == 0o700)
                    for path in ["/api/cameras/\(camera)", "/api/cameras/\(camera)/health", "/api/cameras/\(camera)/stream",
                                 "/api/cameras/\(camera)/recordings", "/api/cameras?limit=10", "/api/audit?limit=100"] {
                        let answer = try await app.testing().sendRequest(.GET, path, headers: admin.headers)
                        #expect(answer.status == .ok, "\(path): \(answer.status)")
                        answers.append(answer.body.string)
                    }
                }
                let reasons = try await repository.healthHistory(camera: camera).map(\.reason)
                #expect(reasons.contains { $0.contains("401") && $0.contains("rtsp://***@127.0.0.1:\(port)/cam") }, "\(reasons)")
                answers += reasons
            }
        } catch {
            await source.stop()
            throw error
        }
        await source.stop()
        #expect(seen.contains { $0.contains("input-main.ffconcat") }, "the recording ffmpeg was seen running: \(seen)")
        let logged = logs.entries.map { "\($0.message) \($0.metadata)" }
        #expect(logged.contains { $0.contains("camera health") }, "the recorder's log was captured")
        for secret in secrets {
            #expect(!seen.contains { $0.contains(secret) }, "a command line holds the password")
            #expect(!logged.contains { $0.contains(secret) }, "a log line holds the password: \(logged.filter { $0.contains(secret) })")
            #expect(!answers.contains { $0.contains(secret) }, "an answer or health reason holds the password")
        }
    }
}
