import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

@Suite("Administration API")
struct AdministrationAPITests {
    @Test(arguments: DatabaseKind.allCases)
    func consoleUploadImportsAndExportsRoundTrip(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let admin = try await app.signIn(as: .administrator)
            let file = try Data(contentsOf: RepositoryPaths.gangnamRegistry)
            var headers = admin.headers
            headers.replaceOrAdd(name: .contentType, value: "text/csv")
            let dry = try await app.testing().sendRequest(.POST, "/api/registry/import?dryRun=true", headers: headers, body: ByteBuffer(bytes: Array(file)))
            #expect(dry.status == .ok)
            let dryReport = try dry.content.decode(ImportReport.self)
            #expect(dryReport.dryRun && dryReport.cameras == 4_387)
            #expect(try await RegistryRepository(database: app.db).counts() == (0, 0))
            let real = try await app.testing().sendRequest(.POST, "/api/registry/import?dryRun=false", headers: headers, body: ByteBuffer(bytes: Array(file)))
            #expect(try real.content.decode(ImportReport.self).added == 1_699)

            let csv = try await app.testing().sendRequest(.GET, "/api/registry/export?format=csv", headers: admin.headers)
            #expect(csv.status == .ok)
            #expect(csv.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            let lines = csv.body.string.split(separator: "\r\n")
            #expect(lines.count == 1_700)
            #expect(lines[0].hasPrefix("\u{FEFF}개방자치단체코드,관리번호,관리기관명"))
            let geojson = try await app.testing().sendRequest(.GET, "/api/registry/export?format=geojson", headers: admin.headers)
            let parsed = try JSONSerialization.jsonObject(with: Data(geojson.body.string.utf8)) as? [String: Any]
            #expect((parsed?["features"] as? [Any])?.count == 1_699)
            let bad = try await app.testing().sendRequest(.GET, "/api/registry/export?format=xlsx", headers: admin.headers)
            #expect(bad.status == .badRequest)
            let audit = try await AuditLog(database: app.db).list(.init(actor: admin.username))
            #expect(audit.map(\.action).filter { $0.hasPrefix("registry") } == ["registry.export", "registry.export", "registry.import"])

            let notCSV = try await app.testing().sendRequest(.POST, "/api/registry/import", headers: headers, body: .text("hello,world\n1,2\n"))
            #expect(notCSV.status == .badRequest && notCSV.body.string.contains("not a CCTV registry header"))
            let empty = try await app.testing().sendRequest(.POST, "/api/registry/import", headers: headers)
            #expect(empty.status == .badRequest)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func administratorManagesUsersAndCannotRemoveTheLastAdministrator(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let admin = try await app.signIn(as: .administrator)
            let created = try await app.testing().sendRequest(.POST, "/api/users", headers: admin.headers,
                                                              body: .json(["username": "Park.Officer", "role": "privacy-officer"]))
            #expect(created.status == .created)
            let body = try created.content.decode(Created.self)
            #expect(body.user.username == "park.officer" && body.user.role == "privacyOfficer" && body.user.mustChangePassword)
            let session = try await app.login(username: "park.officer", password: body.password)
            #expect(try await app.testing().sendRequest(.GET, "/api/audit", headers: session.headers).status == .forbidden)

            let duplicate = try await app.testing().sendRequest(.POST, "/api/users", headers: admin.headers, body: .json(["username": "park.officer", "role": "police"]))
            #expect(duplicate.status == .conflict)
            let badRole = try await app.testing().sendRequest(.POST, "/api/users", headers: admin.headers, body: .json(["username": "lee", "role": "root"]))
            #expect(badRole.status == .badRequest && badRole.body.string.contains("unknown role 'root'"))
            let badName = try await app.testing().sendRequest(.POST, "/api/users", headers: admin.headers, body: .json(["username": "a b", "role": "police"]))
            #expect(badName.status == .badRequest)

            let me = try await app.testing().sendRequest(.GET, "/api/session", headers: admin.headers).content.decode(SessionRow.self)
            let demote = try await app.testing().sendRequest(.PATCH, "/api/users/\(me.user.id)", headers: admin.headers, body: .text("{\"role\": \"operator\"}"))
            #expect(demote.status == .conflict && demote.body.string.contains("no enabled administrator"))

            let reset = try await app.testing().sendRequest(.POST, "/api/users/\(body.user.id)/password", headers: admin.headers)
            let newPassword = try reset.content.decode(Created.self).password
            #expect(newPassword != body.password)
            #expect(try await app.testing().sendRequest(.GET, "/api/session", headers: session.headers).status == .unauthorized)
            let actions = try await AuditLog(database: app.db).list(.init(actor: admin.username)).map(\.action)
            #expect(actions.contains("user.create") && actions.contains("user.password.reset"))
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func privacyOfficerReadsAndVerifiesTheAuditLog(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let officer = try await app.signIn(as: .privacyOfficer)
            let page = try await app.testing().sendRequest(.GET, "/api/audit?action=login&limit=5", headers: officer.headers)
            #expect(page.status == .ok)
            let entries = try page.content.decode(AuditPage.self).entries
            #expect(!entries.isEmpty && entries.allSatisfy { $0.action.hasPrefix("login") })
            let verify = try await app.testing().sendRequest(.GET, "/api/audit/verify", headers: officer.headers)
            #expect(verify.body.string.contains("\"ok\":true"))
            let badTime = try await app.testing().sendRequest(.GET, "/api/audit?since=yesterday", headers: officer.headers)
            #expect(badTime.status == .badRequest && badTime.body.string.contains("since"))
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func healthAndMetricsReportTheInstallation(kind: DatabaseKind) async throws {
        let token = "metrics-" + UUID().uuidString
        try await withCityWatch(kind, adjust: { $0.metricsToken = token }) { app in
            _ = try await RegistryImporter(database: app.db).importFile(at: RepositoryPaths.gangnamRegistry.path, actor: "test")
            let health = try await app.testing().sendRequest(.GET, "/healthz")
            #expect(health.status == .ok && health.body.string.contains("\"database\":\"ok\""))
            _ = try await app.testing().sendRequest(.GET, "/api/sites")
            // Without the token, or with another, metrics say nothing.
            #expect(try await app.testing().sendRequest(.GET, "/metrics").status == .unauthorized)
            let wrong = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer not-\(token)"])
            #expect(wrong.status == .unauthorized && !wrong.body.string.contains("citywatch_"))
            let metrics = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer \(token)"]).body.string
            #expect(metrics.contains("citywatch_cameras{purpose=\"crimePrevention\",state=\"enabled\"} 3473"))
            #expect(metrics.contains("citywatch_cameras{purpose=\"childProtection\",state=\"enabled\"} 608"))
            // Vapor's own request metrics (process-wide: other tests' requests count there too).
            #expect(metrics.contains("http_requests_total{method=\"GET\",path=\"/api/sites\",status=\"401\"} "))
            #expect(metrics.contains("http_request_duration_seconds_bucket{method=\"GET\",path=\"/api/sites\",status=\"401\","))
        }
    }

    @Test func consoleAndVendorFilesAreServedWithSecurityHeaders() async throws {
        try await withCityWatch(.sqlite) { app in
            let index = try await app.testing().sendRequest(.GET, "/")
            #expect(index.status == .ok && index.body.string.contains("leaflet"))
            #expect(index.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
            #expect(index.headers.first(name: "X-Frame-Options") == "DENY")
            if FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js") {
                #expect(try await app.testing().sendRequest(.GET, "/vendor/leaflet/leaflet.js").status == .ok)
            }
            #expect(try await app.testing().sendRequest(.GET, "/vendor/leaflet/../../../etc/passwd").status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/vendor/jquery/jquery.js").status == .notFound)
        }
    }

    struct Created: Decodable {
        struct User: Decodable {
            var id: UUID
            var username: String
            var role: String
            var mustChangePassword: Bool
        }

        var user: User
        var password: String
    }

    struct SessionRow: Decodable {
        var user: Created.User
    }

    struct AuditPage: Decodable {
        struct Entry: Decodable {
            var action: String
        }

        var entries: [Entry]
    }
}
