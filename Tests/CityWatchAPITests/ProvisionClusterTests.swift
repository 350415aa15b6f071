import CityWatchAPI
import CityWatchDomain
import CityWatchMedia
import CityWatchTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

/// A provision export in a cluster: started from a console on one node, followed and joined
/// from a console on the other (the job's state is in the shared store).
@Suite("Provision export across nodes", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct ProvisionClusterTests {
    struct Job: Decodable {
        var state: String
        var node: String
        var startedAt: Date
        var camerasDone: Int
        var cameras: Int
        var result: Result?
        var error: String?
    }

    struct Result: Decodable {
        var request: ProvisionRequest
        var manifest: EvidenceManifest?
        var download: String
    }

    @Test(.timeLimit(.minutes(2)))
    func anExportStartedOnOneNodeIsFollowedAndJoinedOnTheOther() async throws {
        try await withTwoNodes { first, second, _ in
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded(.down))
            let admin = try await first.signIn(as: .administrator)
            let (camera, _, group) = try await ProvisionAPITests.recordedCamera(first, start: start, admin: admin)
            // Sessions are in the shared store: a cookie from one node is good on the other.
            let police = try await first.signIn(as: .police, groups: [group])
            let officer = try await first.signIn(as: .operator, groups: [group])
            let privacy = try await first.signIn(as: .privacyOfficer)
            let (atFirst, atSecond) = (try first.testing(), try second.testing())
            let created = try await atFirst.sendRequest(.POST, "/api/provision/requests", headers: police.headers, body: .text(
                ProvisionAPITests.requestBody(camera: camera, from: start.addingTimeInterval(1), to: start.addingTimeInterval(5))))
            let request = try created.content.decode(ProvisionRequest.self)
            #expect(try await atSecond.sendRequest(.POST, "/api/provision/requests/\(request.id)/approve", headers: privacy.headers).status == .ok)
            let path = "/api/provision/requests/\(request.id)/export"
            #expect(try await atSecond.sendRequest(.GET, path, headers: officer.headers).status == .notFound, "nothing started yet")

            let started = try await atFirst.sendRequest(.POST, "\(path)?background=true", headers: officer.headers)
            #expect(started.status == .accepted, "\(started.body.string)")
            let job = try started.content.decode(Job.self)
            // A second export from the other node's console joins the job instead of starting one
            // (or, if it ended already, is refused as a second export).
            let joined = try await atSecond.sendRequest(.POST, "\(path)?background=true", headers: officer.headers)
            if joined.status == .accepted {
                let other = try joined.content.decode(Job.self)
                #expect(other.node == job.node && other.startedAt == job.startedAt, "the same job: \(other)")
            } else {
                #expect(joined.status == .conflict, "\(joined.body.string)")
            }

            var followed = job
            let deadline = Date().addingTimeInterval(60)
            while followed.state == "running", Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                followed = try await atSecond.sendRequest(.GET, path, headers: officer.headers).content.decode(Job.self)
            }
            #expect(followed.state == "done" && followed.camerasDone == 1 && followed.cameras == 1, "\(followed)")
            let result = try #require(followed.result, "the other node answers from the request and its ledger line")
            #expect(result.request.status == .exported && result.manifest == nil)
            #expect(result.download == "/api/provision/requests/\(request.id.uuidString.lowercased())/download")
            // The node that ran it still has the manifest to hand.
            let onFirst = try await atFirst.sendRequest(.GET, path, headers: officer.headers).content.decode(Job.self)
            #expect(onFirst.result?.manifest?.provisionRequestId == request.id)
            #expect(try await atSecond.sendRequest(.POST, path, headers: officer.headers).status == .conflict, "exported once only")
        }
    }
}
