import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Every view of recorded video has its audit line, however the player spells its byte ranges:
/// one `video.playback` per viewing session (a sign-in, a share) of a segment — the attack run
/// watched whole segments with `Range: bytes=00-` and left no trace in the view log.
@Suite("Playback audit whatever the range")
struct PlaybackAuditAPITests {
    @Test(arguments: DatabaseKind.allCases)
    func everyViewingSessionOfASegmentIsAuditedOnceHoweverItsRangesAreSpelled(_ kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let cameras = try await app.makeCameras(1)
            let admin = try await app.signIn(as: .administrator)
            let client = try app.testing()
            let bytes = Array("bytes of a recorded segment, long enough to ask for a part".utf8)
            let started = Date().addingTimeInterval(-300)
            let segment = try await IncidentShareAPITests.segment(app, camera: cameras[0], start: started, bytes: bytes)
            func views(_ actor: String) async throws -> Int {
                try await AuditLog(database: app.db).list(.init(actor: actor, action: "video.playback")).count
            }

            // A leading zero, then other ranges of the same segment in the same session.
            let odd = try await client.sendRequest(.GET, "/api/segments/\(segment)/video", headers: admin.headers.adding("Range", "bytes=00-"))
            #expect([.ok, .partialContent].contains(odd.status) && Array(odd.body.readableBytesView) == bytes)
            #expect(try await views(admin.username) == 1, "a whole segment watched with bytes=00- left no audit line")
            for range in ["bytes=0-", "bytes=10-19", "bytes=-5", "bytes=0-0,5-"] {
                _ = try await client.sendRequest(.GET, "/api/segments/\(segment)/video", headers: admin.headers.adding("Range", range))
            }
            #expect(try await views(admin.username) == 1, "one viewing session, one line")
            // Another session that starts mid-file is another view.
            let again = try await app.login(username: admin.username, password: admin.password)
            let middle = try await client.sendRequest(.GET, "/api/segments/\(segment)/video", headers: again.headers.adding("Range", "bytes=10-"))
            #expect(middle.status == .partialContent)
            #expect(try await views(admin.username) == 2)

            // A partner's share link, with a range spelled oddly: audited as the partner.
            _ = try await PlatformPartners(database: app.db).add("seoul-112", by: "test")
            let opened = try await client.sendRequest(.POST, "/api/incidents", headers: admin.headers, body: .text(
                "{\"kind\": \"crime\", \"title\": \"112 절도\", \"occurredAt\": \"\(ISO8601DateFormatter().string(from: started.addingTimeInterval(30)))\", \"cameraIds\": [\"\(cameras[0])\"]}"))
            let incident = try IncidentShareAPITests.decode(IncidentAPITests.Detail.self, opened).incident
            let made = try await client.sendRequest(.POST, "/api/incidents/\(incident.id)/share", headers: admin.headers, body: .text("{\"partner\": \"seoul-112\"}"))
            let share = try IncidentShareAPITests.decode(IncidentShareAPITests.Shared.self, made)
            let listed = try IncidentShareAPITests.decode(IncidentShareAPITests.Playback.self, try await client.sendRequest(.GET, share.cameras[0].playback))
            let url = try #require(listed.segments.first { $0.id == segment }?.url)
            let shared = try await client.sendRequest(.GET, url, headers: ["Range": "bytes=000-"])
            #expect([.ok, .partialContent].contains(shared.status))
            #expect(try await views("share:seoul-112") == 1, "a shared segment watched with bytes=000- left no audit line")
            _ = try await client.sendRequest(.GET, url, headers: ["Range": "bytes=5-"])
            #expect(try await views("share:seoul-112") == 1)
        }
    }
}
