import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// `GET /api/cameras/:id/frame` (search thumbnails) for every moment that is recorded: in the
/// segment still being written (indexed only when it closes, so the last minute's episodes
/// showed "No recorded frame"), at a boundary between segments, and just past a file's last frame.
@Suite("Recorded frames", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct RecordedFrameAPITests {
    struct Recordings: Decodable {
        struct Range: Decodable {
            var start: Date
            var end: Date
        }

        var segments: [Range]
        var recordingNow: Range?
    }

    static func iso(_ date: Date, fractions: Bool = false) -> String {
        let formatter = ISO8601DateFormatter()
        if fractions { formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds] }
        return formatter.string(from: date)
    }

    // Two minutes: recording and three ffmpeg frame reads, slow when the whole suite runs beside it.
    @Test(.timeLimit(.minutes(2)))
    func aMomentOfTheSegmentBeingWrittenHasItsFrame() async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true)
        let folder = try RepositoryPaths.temporaryFolder("open-segment")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            // The segment stays open for the whole test.
            let recording = try await RecordingAPITests.recordLooping(clip, camera: camera, into: folder, app: app,
                                                                      segmentSeconds: 300, analysisFrames: false)
            try await whileRunning([recording]) {
                let admin = try await app.signIn(as: .administrator)
                let opened = try await Self.openSegmentStart(of: camera, in: folder, after: 3)
                #expect(try await RecordingRepository(database: app.db).segments(camera: camera, from: opened, to: Date()).isEmpty,
                        "nothing is indexed yet")
                let answer = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/recordings", headers: admin.headers)
                let recordings = try JSONDecoder.iso8601.decode(Recordings.self, from: Data(answer.body.readableBytesView))
                #expect(recordings.segments.isEmpty && recordings.recordingNow?.start == opened, "the timeline shows what is being recorded")
                for at in [opened.addingTimeInterval(1), Date().addingTimeInterval(-0.5)] {
                    let frame = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/frame?at=\(Self.iso(at))&width=160", headers: admin.headers)
                    #expect(frame.status == .ok && frame.headers.contentType == .jpeg && frame.body.readableBytes > 500,
                            "frame at \(Self.iso(at)) (open segment from \(Self.iso(opened))): \(frame.status) \(frame.body.string.prefix(200))")
                }
                let before = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/frame?at=\(Self.iso(opened.addingTimeInterval(-30)))",
                                                                 headers: admin.headers)
                #expect(before.status == .notFound, "before the recording started nothing is shown")
            }
        }
    }

    /// Waits until the recorder has been writing its open segment for `seconds` (it names a
    /// segment by its start: the newest file of the camera's folder under `folder/recordings`);
    /// returns that start.
    static func openSegmentStart(of camera: UUID, in folder: URL, after seconds: Double) async throws -> Date {
        let cameraFolder = folder.appendingPathComponent("recordings/\(camera.uuidString)").path
        var start: Date?
        try await waitUntil("\(seconds) s recorded into the open segment", timeout: .seconds(30), pollingEvery: .milliseconds(250)) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: cameraFolder)) ?? []
            start = names.compactMap(SegmentListLine.startTime(ofFile:)).max()
            return start.map { Date().timeIntervalSince($0) >= seconds } == true
        }
        return try #require(start)
    }

    @Test func aMomentAtASegmentBoundaryOrPastTheLastFrameHasAFrame() async throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true) // 150 frames, the last at 5.96 s
        let folder = try RepositoryPaths.temporaryFolder("boundary")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let t0 = Date(timeIntervalSince1970: 1_790_000_000)
            let repository = RecordingRepository(database: app.db)
            // Segment names are whole seconds, so the next one may start before the index's end of the last.
            for (camera, segments) in [(cameras[0], [(0.0, 6.4)]), (cameras[1], [(0.0, 6.4), (6.0, 12.0)])] {
                for (start, end) in segments {
                    let file = folder.appendingPathComponent("\(camera)-\(Int(start)).mp4").path
                    try FileManager.default.copyItem(atPath: clip, toPath: file)
                    try await repository.addSegment(RecordedSegment(cameraID: camera, path: file, start: t0.addingTimeInterval(start),
                                                                    end: t0.addingTimeInterval(end), bytes: 1), now: Date())
                }
            }
            let admin = try await app.signIn(as: .administrator)
            // Past the last frame of the only segment: the last frame before it.
            let late = try await app.testing().sendRequest(
                .GET, "/api/cameras/\(cameras[0])/frame?at=\(Self.iso(t0.addingTimeInterval(6.2), fractions: true))", headers: admin.headers)
            #expect(late.status == .ok && late.headers.contentType == .jpeg, "\(late.status) \(late.body.string.prefix(200))")
            // At a boundary: the segment that starts there.
            let boundary = try await app.testing().sendRequest(.GET, "/api/cameras/\(cameras[1])/frame?at=\(Self.iso(t0.addingTimeInterval(6)))",
                                                               headers: admin.headers)
            #expect(boundary.status == .ok && boundary.headers.contentType == .jpeg, "\(boundary.status) \(boundary.body.string.prefix(200))")
            #expect(try await AuditLog(database: app.db).list(.init(action: "video.frame")).count == 2)
        }
    }
}

extension JSONDecoder {
    /// A decoder for the API's ISO 8601 times.
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
