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

/// Privacy masks change only through the roles that may see behind them: an operator saving
/// rules never removes a mask (a missing `privacyMasks` keeps them), and one who sends other
/// masks is refused naming the field; a privacy officer changes masks and nothing else.
@Suite("Who changes privacy masks")
struct MaskChangeAPITests {
    static let mask = "{\"points\": [{\"x\": 0.0, \"y\": 0.0}, {\"x\": 0.5, \"y\": 0.0}, {\"x\": 0.5, \"y\": 1.0}, {\"x\": 0.0, \"y\": 1.0}]}"

    @Test(arguments: DatabaseKind.allCases)
    func anOperatorCannotRemoveMasksAndAPrivacyOfficerChangesOnlyMasks(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let admin = try await app.signIn(as: .administrator)
            let path = "/api/cameras/\(camera)/analytics"
            func put(_ session: TestSession, _ body: String) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.PUT, path, headers: session.headers, body: .text(body))
            }
            func storedMasks() async throws -> Int { try await AnalyticsRepository(database: app.db).settings(for: camera).privacyMasks.count }
            #expect(try await put(admin, "{\"rules\": [], \"privacyMasks\": [\(Self.mask)]}").status == .ok)
            #expect(try await storedMasks() == 1)

            // The attack run's request: rules only. Accepted, and the mask stays.
            let group = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                            body: .text("{\"name\": \"masks\", \"rule\": {\"cameraIds\": [\"\(camera)\"]}}"))
            struct IDOnly: Decodable { var id: UUID }
            let groups = [try group.content.decode(IDOnly.self).id]
            let operatorUser = try await app.signIn(as: .operator, groups: groups)
            #expect(try await put(operatorUser, "{\"rules\": []}").status == .ok)
            #expect(try await storedMasks() == 1, "a missing privacyMasks removed the masks")
            // Sending them unchanged with a new rule is fine; sending none is refused, naming the field.
            let rule = AnalyticsAPITests.rule()
            #expect(try await put(operatorUser, "{\"rules\": [\(rule)], \"privacyMasks\": [\(Self.mask)]}").status == .ok)
            let wipe = try await put(operatorUser, "{\"rules\": [], \"privacyMasks\": []}")
            #expect(wipe.status == .forbidden && wipe.body.string.contains("privacyMasks"), "\(wipe.body.string)")
            #expect(try await storedMasks() == 1)
            #expect(try await AnalyticsRepository(database: app.db).settings(for: camera).rules.count == 1, "a refused request changes nothing")
            #expect(try await AuditLog(database: app.db).list(.init(action: "analytics.settings.refused")).count == 1)

            // A privacy officer removes the mask (its own audit line) but may not touch the rules.
            let officer = try await app.signIn(as: .privacyOfficer, groups: groups)
            let rulesByOfficer = try await put(officer, "{\"rules\": []}")
            #expect(rulesByOfficer.status == .forbidden && rulesByOfficer.body.string.contains("rules"), "\(rulesByOfficer.body.string)")
            #expect(try await put(officer, "{\"privacyMasks\": []}").status == .ok)
            #expect(try await storedMasks() == 0)
            #expect(try await AnalyticsRepository(database: app.db).settings(for: camera).rules.count == 1, "the officer's change kept the rules")
            let changed = try await AuditLog(database: app.db).list(.init(action: "privacy.masks"))
            #expect(changed.map(\.actor).sorted() == [admin.username, officer.username].sorted())
        }
    }
}
