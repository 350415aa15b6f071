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

/// An evidence export started in the background (`POST /api/exports?background=true`): checked
/// at once, then followed through its job to the same answer a plain export gives, or to the
/// reason it failed; nobody who may not see its cameras learns of it.
@Suite("Evidence export jobs", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct ExportJobAPITests {
    struct Job: Decodable {
        struct Made: Decodable {
            struct Manifest: Decodable {
                struct File: Decodable { var sha256: String }
                var exportId: UUID
                var files: [File]
            }
            var id: UUID
            var manifest: Manifest
            var download: String
            var keptUntil: Date
        }

        var id: UUID
        var state: String
        var startedBy: String
        var cameraIds: [UUID]
        var percent: Int
        var result: Made?
        var error: String?
    }

    @Test(arguments: DatabaseKind.allCases)
    func aBackgroundExportIsFollowedToItsDownloadOrToWhyItFailed(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let start = Date().addingTimeInterval(-600)
            _ = try await app.recordSixSeconds(camera: camera, start: start)
            let admin = try await app.signIn(as: .administrator)
            let group = try await AccessChangeSocketTests.group("school gate", [camera], app: app, admin: admin)
            let exporter = try await app.signIn(as: .operator, groups: [group])
            let formatter = ISO8601DateFormatter()
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            func begin(from: Date, to: Date, reason: String = "민원 2026-95") async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.POST, "/api/exports?background=true", headers: exporter.headers, body: .text("""
                    {"cameraIds": ["\(camera)"], "from": "\(formatter.string(from: from))", "to": "\(formatter.string(from: to))", \
                    "reason": "\(reason)"}
                    """))
            }
            func follow(_ location: String, as user: TestSession) async throws -> Job {
                var job: Job?
                try await RecordingAPITests.eventually(timeout: .seconds(60)) {
                    let response = try await app.testing().sendRequest(.GET, location, headers: user.headers)
                    #expect(response.status == .ok, "\(response.body.string)")
                    job = try decoder.decode(Job.self, from: Data(response.body.readableBytesView))
                    return job?.state != "running"
                }
                return try #require(job)
            }

            // What can be checked at once is refused at once, naming the problem.
            let bad = try await begin(from: start.addingTimeInterval(5), to: start.addingTimeInterval(1))
            #expect(bad.status == .badRequest && bad.body.string.contains("end after it starts"), "\(bad.body.string)")
            #expect(try await begin(from: start, to: start.addingTimeInterval(5), reason: "x").status == .badRequest)

            let accepted = try await begin(from: start.addingTimeInterval(1), to: start.addingTimeInterval(5))
            #expect(accepted.status == .accepted, "\(accepted.body.string)")
            let location = try #require(accepted.headers.first(name: .location))
            let running = try decoder.decode(Job.self, from: Data(accepted.body.readableBytesView))
            #expect(location == "/api/exports/jobs/\(running.id.uuidString.lowercased())")
            #expect(running.startedBy == exporter.username && running.cameraIds == [camera] && running.result == nil)

            let done = try await follow(location, as: exporter)
            #expect(done.state == "done" && done.percent == 100 && done.error == nil, "\(done)")
            let made = try #require(done.result)
            #expect(!made.manifest.files.isEmpty && made.id == made.manifest.exportId)
            let zip = try await app.testing().sendRequest(.GET, made.download, headers: exporter.headers)
            #expect(zip.status == .ok && zip.headers.contentType?.subType == "zip")
            let lines = try await AuditLog(database: app.db).list(.init(action: "video.export", exactAction: true))
            #expect(lines.count == 1 && lines.first?.actor == exporter.username && lines.first?.target == made.id.uuidString)

            // Someone who may not see the camera learns nothing of the job; the administrator may follow it.
            let stranger = try await app.signIn(as: .operator)
            #expect(try await app.testing().sendRequest(.GET, location, headers: stranger.headers).status == .notFound)
            #expect(try await follow(location, as: admin).result?.id == made.id)
            #expect(try await app.testing().sendRequest(.GET, "/api/exports/jobs/\(UUID())", headers: admin.headers).status == .notFound)

            // A stretch with nothing recorded fails in the job, which says why.
            let empty = try await begin(from: start.addingTimeInterval(-3_600), to: start.addingTimeInterval(-3_000))
            #expect(empty.status == .accepted)
            let failed = try await follow(try #require(empty.headers.first(name: .location)), as: exporter)
            #expect(failed.state == "failed" && failed.result == nil, "\(failed)")
            #expect(failed.error?.contains("recorded anything") == true, "\(failed.error ?? "")")
        }
    }
}
