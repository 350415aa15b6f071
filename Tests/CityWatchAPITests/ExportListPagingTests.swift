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

/// The list of exports reaches back to the first one made: page by page with `after`, and with
/// a camera filter an old export is found behind thousands of newer ones (the list once read only
/// the latest 2,000 export lines of the audit log).
@Suite("Export list paging")
struct ExportListPagingTests {
    struct Listed: Decodable {
        var id: UUID
        var createdAt: Date
        var cameraIds: [UUID]
    }

    @Test func everyExportIsReachedPageByPageAndAnOldOneByItsCamera() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let iso = ISO8601DateFormatter()
            // 2,100 exports a minute apart, the oldest of the second camera, the rest of the first.
            let first = Date().addingTimeInterval(-3 * 86_400)
            var made: [(id: UUID, at: Date)] = []
            var events: [AuditEvent] = []
            for index in 0..<2_100 {
                let id = UUID(), at = first.addingTimeInterval(Double(index) * 60)
                made.append((id, at))
                events.append(AuditEvent(actor: "officer", action: "video.export", target: id.uuidString, details: [
                    "cameras": .list([.string((index == 0 ? cameras[1] : cameras[0]).uuidString)]), "reason": .string("민원 2026-\(index)"),
                    "from": .string(iso.string(from: at.addingTimeInterval(-600))), "to": .string(iso.string(from: at.addingTimeInterval(-540))),
                    "madeAt": .string(iso.string(from: at)), "files": 1, "masked": .list([]),
                ]))
            }
            _ = try await AuditLog(database: app.db).append(contentsOf: events)
            let admin = try await app.signIn(as: .administrator)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            func page(_ query: String) async throws -> [Listed] {
                let response = try await app.testing().sendRequest(.GET, "/api/exports?\(query)", headers: admin.headers)
                #expect(response.status == .ok, "\(response.body.string)")
                return try decoder.decode([Listed].self, from: Data(response.body.readableBytesView))
            }

            var listed: [Listed] = []
            var query = "limit=500"
            for _ in 0..<10 {
                let next = try await page(query)
                listed += next
                guard next.count == 500, let last = next.last else { break }
                query = "limit=500&after=\(last.id)"
            }
            #expect(listed.count == 2_100)
            // (compared as one flag: a failure would otherwise print 4,200 ids)
            let everyOnceNewestFirst = listed.map(\.id) == made.reversed().map(\.id)
            #expect(everyOnceNewestFirst, "every export once, newest first")

            let old = try await page("cameraId=\(cameras[1])")
            #expect(old.map(\.id) == [made[0].id], "the first export, behind 2,099 newer ones")
            let before = try await page("limit=3&before=\(iso.string(from: made[10].at))")
            #expect(before.map(\.id) == [made[9].id, made[8].id, made[7].id], "made strictly before")
            let fractional = try await page("limit=1&before=2026-01-01T00:00:00.001Z")
            #expect(fractional.isEmpty)
            let alone = try await page("id=\(made[0].id)")
            #expect(alone.map(\.id) == [made[0].id], "one export by its id, however old")
            #expect(try await page("id=\(UUID())").isEmpty)
            // A page back shows no more than the first page would: nothing of cameras one may not see.
            let stranger = try await app.signIn(as: .operator)
            let hidden = try await app.testing().sendRequest(.GET, "/api/exports?before=\(iso.string(from: made[10].at))", headers: stranger.headers)
            #expect(hidden.status == .ok && hidden.body.string == "[]", "\(hidden.body.string.prefix(200))")
            let otherCamera = try await page("limit=5&cameraId=\(cameras[1])&before=\(iso.string(from: made[10].at))")
            #expect(otherCamera.map(\.id) == [made[0].id])
            let byID = try await app.testing().sendRequest(.GET, "/api/exports?id=\(made[0].id)", headers: stranger.headers)
            #expect(byID.status == .ok && byID.body.string == "[]", "nor by its id")
            // Nor as a cursor: an export one may not see is refused as one that does not exist.
            let cursor = try await app.testing().sendRequest(.GET, "/api/exports?after=\(made[5].id)", headers: stranger.headers)
            let unknown = try await app.testing().sendRequest(.GET, "/api/exports?after=\(UUID())", headers: stranger.headers)
            #expect(cursor.status == .badRequest && unknown.status == .badRequest, "\(cursor.body.string)")
            #expect(cursor.body.string.contains("is no export") && unknown.body.string.contains("is no export"), "\(cursor.body.string)")
            for (name, bad) in [("before", "yesterday"), ("before", "2026-13-01T00:00:00Z"), ("after", "gate-1"), ("after", UUID().uuidString.lowercased()), ("id", "x")] {
                let refused = try await app.testing().sendRequest(.GET, "/api/exports?\(name)=\(bad)", headers: admin.headers)
                #expect(refused.status == .badRequest && refused.body.string.contains("\(name) '\(bad)'"), "\(refused.body.string)")
            }
        }
    }
}
