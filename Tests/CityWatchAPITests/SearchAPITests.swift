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

/// `POST /api/search` and the frames its answers show: who may search what, clear refusals,
/// the audit of every search.
@Suite("Search API")
struct SearchAPITests {
    struct Answer: Decodable {
        struct Episode: Decodable {
            var cameraId: UUID
            var moment: Date
            var trackIds: [Int]
            var thumbnailURL: String
            var playbackURL: String
        }

        var kind: String
        var episodes: [Episode]
        var total: Int
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    @Test func anExportIsEveryEpisodeAsCSVAndAudited() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let start = Date(timeIntervalSince1970: 1_790_002_800)
            let generator = SearchMetadataGenerator(seed: 4, peakObjectsPerMinute: 2)
            for (number, camera) in cameras.enumerated() {
                try await SearchMetadataGenerator.store(generator.generate(camera: camera, number: number, from: start, minutes: 60),
                                                        camera: camera, on: app.db)
            }
            let police = try await app.signIn(as: .administrator)
            let formatter = ISO8601DateFormatter()
            // A page of 5 asked for: the export still holds every episode.
            let body = "{\"from\": \"\(formatter.string(from: start))\", \"to\": \"\(formatter.string(from: start.addingTimeInterval(3_600)))\", \"limit\": 5}"
            let response = try await app.testing().sendRequest(.POST, "/api/search/export", headers: police.headers, body: .text(body))
            #expect(response.status == .ok, "\(response.body.string)")
            #expect(response.headers.contentType?.subType == "csv")
            #expect(response.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            let expected = try await SearchService(database: app.db).run(
                SearchQuery(from: start, to: start.addingTimeInterval(3_600), limit: SearchQuery.maximumLimit), cameras: Set(cameras))
            try #require(expected.total > 5 && expected.total <= SearchQuery.maximumLimit)
            let text = response.body.string
            #expect(text.hasPrefix("\u{FEFF}camera_id,address,"))
            let lines = text.split(separator: "\r\n")
            #expect(lines.count == 1 + expected.total, "\(lines.count) lines for \(expected.total) episodes")
            #expect(lines.dropFirst().map { String($0.prefix(36)) } == expected.episodes.map(\.cameraID.uuidString))
            #expect(response.headers.first(name: "X-CityWatch-Total") == String(expected.total))
            #expect(try await AuditLog(database: app.db).list(.init(action: "search.export")).count == 1)
            let stranger = try await app.testing().sendRequest(.POST, "/api/search/export", headers: ["Content-Type": "application/json"], body: .text(body))
            #expect(stranger.status == .unauthorized)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func anInvestigatorFindsPeopleInARegionAndEverySearchIsAudited(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let cameras = try await app.makeCameras(2)
            let start = Date(timeIntervalSince1970: 1_790_002_800)
            let generator = SearchMetadataGenerator(seed: 9, peakObjectsPerMinute: 2)
            for (number, camera) in cameras.enumerated() {
                try await SearchMetadataGenerator.store(generator.generate(camera: camera, number: number, from: start, minutes: 60),
                                                        camera: camera, on: app.db)
            }
            let admin = try await app.signIn(as: .administrator)
            let formatter = ISO8601DateFormatter()
            let period = "\"from\": \"\(formatter.string(from: start))\", \"to\": \"\(formatter.string(from: start.addingTimeInterval(3_600)))\""
            let region = "\"region\": {\"points\": [{\"x\": 0.2, \"y\": 0.4}, {\"x\": 0.8, \"y\": 0.4}, {\"x\": 0.8, \"y\": 1}, {\"x\": 0.2, \"y\": 1}]}"
            let body = "{\(period), \(region), \"classes\": [\"person\"], \"limit\": 500}"
            let response = try await app.testing().sendRequest(.POST, "/api/search", headers: admin.headers, body: .text(body))
            #expect(response.status == .ok, "\(response.body.string)")
            let answer = try Self.decoder().decode(Answer.self, from: Data(response.body.readableBytesView))
            #expect(answer.kind == "objects" && answer.total > 0 && !answer.episodes.isEmpty)
            // Every episode is one the service finds reading every row.
            let query = SearchQuery(from: start, to: start.addingTimeInterval(3_600),
                                    region: ImagePolygon(points: [ImagePoint(x: 0.2, y: 0.4), ImagePoint(x: 0.8, y: 0.4), ImagePoint(x: 0.8, y: 1), ImagePoint(x: 0.2, y: 1)]),
                                    classes: [.person], limit: 500)
            let brute = try await SearchService(database: app.db).bruteForce(query, cameras: Set(cameras))
            #expect(answer.total == brute.total && answer.episodes.map(\.trackIds) == brute.episodes.map(\.trackIDs))
            let first = try #require(answer.episodes.first)
            #expect(first.playbackURL.hasPrefix("#playback?camera=\(first.cameraId)&at="))
            #expect(first.thumbnailURL.hasPrefix("/api/cameras/\(first.cameraId)/frame?at="))

            // Someone granted only the first camera searches only it.
            let group = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                            body: .text("{\"name\": \"one\", \"rule\": {\"cameraIds\": [\"\(cameras[0])\"]}}"))
            let groupID = try #require(group.body.string.split(separator: "\"").firstIndex(of: "id").flatMap { UUID(uuidString: String(group.body.string.split(separator: "\"")[$0 + 2])) })
            let officer = try await app.signIn(as: .police, groups: [groupID])
            let theirs = try await app.testing().sendRequest(.POST, "/api/search", headers: officer.headers, body: .text("{\(period), \(region)}"))
            let motion = try Self.decoder().decode(Answer.self, from: Data(theirs.body.readableBytesView))
            #expect(motion.kind == "motion" && motion.total > 0 && motion.episodes.allSatisfy { $0.cameraId == cameras[0] })
            let hidden = try await app.testing().sendRequest(.POST, "/api/search", headers: officer.headers,
                                                             body: .text("{\(period), \"cameras\": {\"ids\": [\"\(cameras[1])\"]}}"))
            #expect(hidden.status == .notFound)
            let maintenance = try await app.signIn(as: .maintenance)
            #expect(try await app.testing().sendRequest(.POST, "/api/search", headers: maintenance.headers, body: .text("{\(period)}")).status == .forbidden)

            let audit = try await AuditLog(database: app.db).list(.init(action: "search"))
            #expect(audit.count == 2, "refused searches are not run, so not logged as searches")
            #expect(audit.contains { $0.actor == officer.username && $0.details.contains("\"cameras\":1") && $0.details.contains(cameras[0].uuidString) })
        }
    }

    @Test func badQueriesAreRefusedWithTheirReason() async throws {
        try await withCityWatch(.sqlite) { app in
            _ = try await app.makeCameras(1)
            let admin = try await app.signIn(as: .administrator)
            let cases: [(String, String)] = [
                ("{\"from\": \"2026-11-26T10:00:00Z\", \"to\": \"2026-11-26T09:00:00Z\"}", "to: must be after from"),
                ("{\"from\": \"2026-11-26T09:00:00Z\", \"to\": \"2026-11-26T10:00:00Z\", \"region\": {\"points\": [{\"x\": 0, \"y\": 0}, {\"x\": 1, \"y\": 1}, {\"x\": 1, \"y\": 0}, {\"x\": 0, \"y\": 1}]}}", "cross each other"),
                ("{\"from\": \"2026-11-26T09:00:00Z\", \"to\": \"2026-11-26T10:00:00Z\", \"classes\": [\"dragon\"]}", "unknown 'dragon'"),
                ("{\"from\": \"2026-11-26T09:00:00Z\", \"to\": \"2026-11-26T10:00:00Z\", \"colors\": [\"mauve\"]}", "unknown 'mauve'"),
                ("{\"from\": \"2026-11-26T09:00:00Z\", \"to\": \"2026-11-26T10:00:00Z\", \"speed\": 3}", "unknown field 'speed'"),
                ("{\"from\": \"2026-11-26T09:00:00Z\", \"to\": \"2026-11-26T10:00:00Z\", \"crossing\": \"leftToRight\"}", "needs a line"),
                ("{\"from\": \"2000-01-01T00:00:00Z\", \"to\": \"2026-11-26T10:00:00Z\"}", "more than one search may cover"),
            ]
            for (body, reason) in cases {
                let response = try await app.testing().sendRequest(.POST, "/api/search", headers: admin.headers, body: .text(body))
                #expect(response.status == .badRequest && response.body.string.contains(reason), "\(body) → \(response.body.string)")
            }
        }
    }

    @Test func aFrameOfTheRecordingIsShownAndAudited() async throws {
        guard MediaFixtures.available else { return }
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            try await RecordingRepository(database: app.db).addSegment(
                RecordedSegment(cameraID: camera, path: clip, start: start, end: start.addingTimeInterval(6), bytes: 1), now: Date())
            let officer = try await app.signIn(as: .administrator)
            let at = ISO8601DateFormatter().string(from: start.addingTimeInterval(3))
            let frame = try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/frame?at=\(at)&width=160", headers: officer.headers)
            #expect(frame.status == .ok && frame.headers.contentType == .jpeg && frame.body.readableBytes > 500)
            let never = ISO8601DateFormatter().string(from: start.addingTimeInterval(60))
            #expect(try await app.testing().sendRequest(.GET, "/api/cameras/\(camera)/frame?at=\(never)", headers: officer.headers).status == .notFound)
            #expect(try await AuditLog(database: app.db).list(.init(action: "video.frame")).count == 1)
        }
    }
}
