import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import Testing
import Vapor
import VaporTesting

/// A parking camera switched to crime watch through the API: its purpose as every answer shows
/// it, its rules swapped and given back, the automatic revert, the audit log both ways, and the
/// refusals.
@Suite("Re-tasking API")
struct RetaskingAPITests {
    struct Brief: Decodable {
        var to: String
        var until: Date
        var untilText: String
        var reason: String
    }

    struct Answer: Decodable {
        var id: UUID
        var cameraId: UUID
        var from: String
        var to: String
        var until: Date
        var untilText: String
        var active: Bool
        var revertedBy: String?
        var wallPlacement: String
        var extended: Bool?
    }

    struct List: Decodable {
        var active: [Answer]
        var recent: [Answer]
    }

    struct CameraAnswer: Decodable {
        var purpose: String
        var effectivePurpose: String
        var effectivePurposeText: String
        var retasking: Brief?
    }

    struct SiteAnswer: Decodable {
        var roadAddress: String
        var purpose: String
        var effectivePurpose: String
        var retasking: Brief?
    }

    struct Sites: Decodable {
        var sites: [SiteAnswer]
    }

    struct Settings: Decodable {
        var enabled: Bool
        var rules: [AnalyticsRule]
        var privacyMasks: [ImagePolygon]
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func decode<T: Decodable>(_ type: T.Type, _ response: TestingHTTPResponse) throws -> T {
        try decoder.decode(type, from: Data(response.body.readableBytesView))
    }

    static let ownRules = """
        {"enabled": false, "rules": [{"id": "7E57A000-0000-4000-8000-000000000001", "name": "no parking bay", "enabled": true, "classes": ["car"],
          "minimumHeight": 0.1, "coolDownSeconds": 600, "kind": {"objectLeft": {"zone": {"points": [{"x": 0.1, "y": 0.6}, {"x": 0.9, "y": 0.6}, {"x": 0.9, "y": 0.95}]}, "seconds": 300}},
          "schedule": {"windows": [{"days": [1, 2, 3, 4, 5], "startMinute": 480, "endMinute": 1200}]}}],
         "privacyMasks": [{"points": [{"x": 0, "y": 0}, {"x": 0.2, "y": 0}, {"x": 0.2, "y": 0.2}]}]}
        """

    /// An audit entry's details as JSON values.
    static func details(_ entry: AuditEntry?) -> [String: Any] {
        guard let entry, let object = try? JSONSerialization.jsonObject(with: Data(entry.details.utf8)) as? [String: Any] else { return [:] }
        return object
    }

    /// An operator allowed to see `cameras`.
    static func operatorSeeing(_ cameras: [UUID], app: Application, admin: TestSession) async throws -> TestSession {
        let ids = cameras.map { "\"\($0)\"" }.joined(separator: ", ")
        let group = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                        body: .text("{\"name\": \"parking desk\", \"rule\": {\"cameraIds\": [\(ids)]}}"))
        struct Created: Decodable { var id: UUID }
        return try await app.signIn(as: .operator, groups: [try decode(Created.self, group).id])
    }

    @Test(arguments: DatabaseKind.allCases)
    func aSwitchShowsEverywhereSwapsTheRulesExtendsAndRevertsEarlyRestoringThemExactly(kind: DatabaseKind) async throws {
        let clock = TestClock()
        try await withCityWatch(kind, clock: clock.closure) { app in
            let (parking, crime) = try await app.makeParkingAndCrimeCameras()
            let admin = try await app.signIn(as: .administrator)
            let saved = try await app.testing().sendRequest(.PUT, "/api/cameras/\(parking)/analytics", headers: admin.headers, body: .text(Self.ownRules))
            #expect(saved.status == .ok, "\(saved.body.string)")
            let own = try Self.decode(Settings.self, saved)
            let officer = try await Self.operatorSeeing([parking, crime], app: app, admin: admin)

            let applied = try await app.testing().sendRequest(.POST, "/api/cameras/\(parking)/retask", headers: officer.headers,
                                                              body: .text("{\"to\": \"crimePrevention\", \"reason\": \"robbery reported at the car park\", \"minutes\": 30}"))
            #expect(applied.status == .created, "\(applied.body.string)")
            let first = try Self.decode(Answer.self, applied)
            #expect(first.from == "trafficEnforcement" && first.to == "crimePrevention" && first.active && first.wallPlacement == "crimeWatch")
            #expect(abs(first.until.timeIntervalSince(clock.now.addingTimeInterval(1_800))) < 1 && first.extended == false)

            // The purpose it serves shows in the sites and camera answers, the registry's stays beside it.
            let sites = try Self.decode(Sites.self, try await app.testing().sendRequest(.GET, "/api/sites", headers: officer.headers))
            let site = try #require(sites.sites.first { $0.roadAddress == "parking street 1" })
            #expect(site.purpose == "trafficEnforcement" && site.effectivePurpose == "crimePrevention")
            #expect(site.retasking?.untilText == first.untilText && site.retasking?.reason == "robbery reported at the car park")
            #expect(sites.sites.first { $0.roadAddress == "crime street 2" }?.retasking == nil)
            let camera = try Self.decode(CameraAnswer.self, try await app.testing().sendRequest(.GET, "/api/cameras/\(parking)", headers: officer.headers))
            #expect(camera.purpose == "trafficEnforcement" && camera.effectivePurpose == "crimePrevention" && camera.effectivePurposeText == "생활방범")
            #expect(camera.retasking?.untilText.count == 5)

            // The crime-watch rules run instead of the camera's own; its privacy mask stays.
            let during = try Self.decode(Settings.self, try await app.testing().sendRequest(.GET, "/api/cameras/\(parking)/analytics", headers: admin.headers))
            #expect(during.enabled && during.rules.map(\.id) == RetaskingPolicy.crimeWatchRules.map(\.id))
            #expect(during.privacyMasks == own.privacyMasks)

            // A second switch extends the first: one re-tasking, later end.
            clock.advance(600)
            let again = try await app.testing().sendRequest(.POST, "/api/cameras/\(parking)/retask", headers: admin.headers,
                                                            body: .text("{\"reason\": \"suspect still around\", \"minutes\": 60}"))
            #expect(again.status == .ok, "\(again.body.string)")
            let second = try Self.decode(Answer.self, again)
            #expect(second.id == first.id && second.extended == true)
            #expect(abs(second.until.timeIntervalSince(clock.now.addingTimeInterval(3_600))) < 1)
            let listed = try Self.decode(List.self, try await app.testing().sendRequest(.GET, "/api/retaskings", headers: officer.headers))
            #expect(listed.active.map(\.id) == [first.id] && listed.recent.isEmpty)

            // A privacy mask drawn during the switch (a window found in view) outlives it.
            let secondMask = "{\"points\": [{\"x\": 0.5, \"y\": 0.5}, {\"x\": 0.7, \"y\": 0.5}, {\"x\": 0.7, \"y\": 0.7}]}"
            let withMask = Self.ownRules.replacingOccurrences(of: "\"privacyMasks\": [", with: "\"privacyMasks\": [\(secondMask), ")
            #expect(try await app.testing().sendRequest(.PUT, "/api/cameras/\(parking)/analytics", headers: admin.headers, body: .text(withMask)).status == .ok)
            let masked = try Self.decode(Settings.self, try await app.testing().sendRequest(.GET, "/api/cameras/\(parking)/analytics", headers: admin.headers))
            #expect(masked.privacyMasks.count == 2)

            // Early revert: the camera's own settings come back, with the masks as they are now.
            clock.advance(60)
            let reverted = try await app.testing().sendRequest(.DELETE, "/api/cameras/\(parking)/retask", headers: officer.headers,
                                                               body: .text("{\"reason\": \"suspect arrested\"}"))
            #expect(reverted.status == .ok, "\(reverted.body.string)")
            #expect(try Self.decode(Answer.self, reverted).revertedBy == officer.username)
            let after = try Self.decode(Settings.self, try await app.testing().sendRequest(.GET, "/api/cameras/\(parking)/analytics", headers: admin.headers))
            #expect(after.rules == own.rules && after.privacyMasks == masked.privacyMasks && after.enabled == own.enabled)
            let back = try Self.decode(CameraAnswer.self, try await app.testing().sendRequest(.GET, "/api/cameras/\(parking)", headers: officer.headers))
            #expect(back.effectivePurpose == "trafficEnforcement" && back.retasking == nil)
            let siteAfter = try Self.decode(Sites.self, try await app.testing().sendRequest(.GET, "/api/sites", headers: officer.headers))
            #expect(siteAfter.sites.first { $0.roadAddress == "parking street 1" }?.effectivePurpose == "trafficEnforcement")
            let listedAfter = try Self.decode(List.self, try await app.testing().sendRequest(.GET, "/api/retaskings", headers: officer.headers))
            #expect(listedAfter.active.isEmpty && listedAfter.recent.map(\.id) == [first.id])
            let twice = try await app.testing().sendRequest(.DELETE, "/api/cameras/\(parking)/retask", headers: officer.headers)
            #expect(twice.status == .conflict && twice.body.string.contains("not re-tasked"), "\(twice.body.string)")

            // Both directions in the audit log, with reason, by and until.
            let log = AuditLog(database: app.db)
            let retasks = try await log.list(.init(action: "camera.retask")).filter { $0.action == "camera.retask" }.sorted { $0.seq < $1.seq }
            #expect(retasks.map(\.actor) == [officer.username, admin.username])
            #expect(retasks.map { Self.details($0)["extended"] as? Bool } == [false, true])
            #expect(Self.details(retasks.first)["reason"] as? String == "robbery reported at the car park")
            #expect(Self.details(retasks.first)["by"] as? String == officer.username && Self.details(retasks.first)["until"] is String)
            let reverts = try await log.list(.init(action: "camera.retask.revert"))
            #expect(reverts.count == 1 && reverts.first?.actor == officer.username && reverts.first?.target == parking.uuidString)
            #expect(Self.details(reverts.first)["reason"] as? String == "suspect arrested" && Self.details(reverts.first)["early"] as? Bool == true)
            #expect(Self.details(reverts.first)["until"] as? String != nil && Self.details(reverts.first)["by"] as? String == officer.username)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func theSweepRevertsADueSwitchAsSystemAlsoAfterARestart(kind: DatabaseKind) async throws {
        let clock = TestClock()
        try await withCityWatch(kind, clock: clock.closure) { app in
            let (parking, _) = try await app.makeParkingAndCrimeCameras()
            let admin = try await app.signIn(as: .administrator)
            #expect(try await app.testing().sendRequest(.PUT, "/api/cameras/\(parking)/analytics", headers: admin.headers,
                                                        body: .text(Self.ownRules)).status == .ok)
            let own = try await AnalyticsRepository(database: app.db).settings(for: parking)
            let applied = try await app.testing().sendRequest(.POST, "/api/cameras/\(parking)/retask", headers: admin.headers,
                                                              body: .text("{\"reason\": \"fight outside the bar\", \"minutes\": 5}"))
            #expect(applied.status == .created, "\(applied.body.string)")
            // An hour between sweeps: only the one a service does at its start can revert anything here.
            let sweeper = { RetaskingSweeper(service: { RetaskingService(database: app.db, clock: clock.closure) }, interval: .seconds(3_600)) }

            clock.advance(4 * 60)
            #expect(await sweeper().sweep() == 0, "not due yet")
            #expect(try await AnalyticsRepository(database: app.db).settings(for: parking) != own)

            // The server was down past the end: a sweeper service starting up reverts it at once.
            clock.advance(2 * 60)
            let camera = try Self.decode(CameraAnswer.self, try await app.testing().sendRequest(.GET, "/api/cameras/\(parking)", headers: admin.headers))
            #expect(camera.effectivePurpose == "trafficEnforcement", "the switch is over at its end, before any sweep")
            let running = sweeper()
            let service = Task { try await running.run() }
            defer { service.cancel() }
            // Reverted, and the revert logged (written just after the switch is marked reverted).
            try await waitUntil("the starting sweeper reverts the switch", timeout: .seconds(10)) {
                let logged = try await AuditLog(database: app.db).list(.init(action: "camera.retask.revert"))
                return try await RetaskingRepository(database: app.db).unreverted().isEmpty && !logged.isEmpty
            }
            service.cancel()
            #expect(try await AnalyticsRepository(database: app.db).settings(for: parking) == own)
            #expect(await sweeper().sweep() == 0, "reverted once")
            let reverts = try await AuditLog(database: app.db).list(.init(action: "camera.retask.revert"))
            #expect(reverts.count == 1 && reverts.first?.actor == "system")
            #expect(Self.details(reverts.first)["by"] as? String == "system" && Self.details(reverts.first)["early"] as? Bool == false)
            #expect(Self.details(reverts.first)["reason"] as? String == "time over")
            let listed = try Self.decode(List.self, try await app.testing().sendRequest(.GET, "/api/retaskings", headers: admin.headers))
            #expect(listed.active.isEmpty && listed.recent.first?.revertedBy == "system")
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func aRegistryReImportNeitherUndoesNorBreaksASwitch(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let (parking, _) = try await app.makeParkingAndCrimeCameras()
            let admin = try await app.signIn(as: .administrator)
            #expect(try await app.testing().sendRequest(.PUT, "/api/cameras/\(parking)/analytics", headers: admin.headers,
                                                        body: .text(Self.ownRules)).status == .ok)
            let own = try await AnalyticsRepository(database: app.db).settings(for: parking)
            let applied = try await app.testing().sendRequest(.POST, "/api/cameras/\(parking)/retask", headers: admin.headers,
                                                              body: .text("{\"reason\": \"missing child near the car park\", \"minutes\": 60}"))
            let switched = try Self.decode(Answer.self, applied)

            // A newer registry file says the pole is 생활방범 now, with another view direction.
            let rows = [
                RegistryFixtures.currentRow(number: 1, purpose: "생활방범", cameras: "1", roadAddress: "parking street 1", direction: "북측"),
                RegistryFixtures.currentRow(number: 2, purpose: "생활방범", cameras: "1", roadAddress: "crime street 2"),
            ]
            let path = try RegistryFixtures.write(Data(RegistryFixtures.csv([RegistryFixtures.currentHeader] + rows).utf8))
            let report = try await RegistryImporter(database: app.db).importFile(at: path, actor: "test")
            #expect(report.changed == 1 && report.added == 0)
            app.cityWatch.directory.invalidate()

            let camera = try Self.decode(CameraAnswer.self, try await app.testing().sendRequest(.GET, "/api/cameras/\(parking)", headers: admin.headers))
            #expect(camera.purpose == "crimePrevention", "the registry's purpose is the base, as imported")
            #expect(camera.retasking?.untilText == switched.untilText, "the switch is still in force")
            #expect(try await RetaskingRepository(database: app.db).unreverted(camera: parking)?.id == switched.id)
            #expect(try await AnalyticsRepository(database: app.db).settings(for: parking).rules.map(\.id) == RetaskingPolicy.crimeWatchRules.map(\.id))

            // It can still be extended and reverted, and the camera gets its own rules back.
            let again = try await app.testing().sendRequest(.POST, "/api/cameras/\(parking)/retask", headers: admin.headers,
                                                            body: .text("{\"reason\": \"still searching\", \"minutes\": 120}"))
            let extended = try Self.decode(Answer.self, again)
            #expect(again.status == .ok && extended.extended == true, "\(again.body.string)")
            let reverted = try await app.testing().sendRequest(.DELETE, "/api/cameras/\(parking)/retask", headers: admin.headers)
            let back = try Self.decode(Answer.self, reverted)
            #expect(reverted.status == .ok && back.from == "trafficEnforcement")
            #expect(try await AnalyticsRepository(database: app.db).settings(for: parking) == own)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func twoSwitchesOfOneCameraAtOnceMakeOneSwitchAndOneExtension(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let (parking, _) = try await app.makeParkingAndCrimeCameras()
            let first = try await app.signIn(as: .administrator)
            let second = try await app.signIn(as: .administrator)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for (session, minutes) in [(first, 30), (second, 90)] {
                    group.addTask {
                        try await app.testing().sendRequest(.POST, "/api/cameras/\(parking)/retask", headers: session.headers,
                                                            body: .text("{\"reason\": \"two operators at once\", \"minutes\": \(minutes)}")).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }.sorted()
            }
            #expect(statuses == [200, 201])
            let rows = try await RetaskingModel.query(on: app.db).filter(\.$cameraID == parking).all()
            #expect(rows.count == 1 && rows.first?.revertedAt == nil)
            if let row = rows.first { #expect(row.until.timeIntervalSince(row.from) >= 90 * 60 - 1, "the longer of the two wins") }

            // Two early reverts at once: one does it (and is logged), the other finds nothing to revert.
            let reverts = try await withThrowingTaskGroup(of: UInt.self) { group in
                for session in [first, second] {
                    group.addTask {
                        try await app.testing().sendRequest(.DELETE, "/api/cameras/\(parking)/retask", headers: session.headers).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }.sorted()
            }
            #expect(reverts == [200, 409])
            #expect(try await AuditLog(database: app.db).list(.init(action: "camera.retask.revert")).count == 1)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func refusalsSayWhatIsWrongAndOnlyOperatorsAndAdministratorsMaySwitch(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let (parking, crime) = try await app.makeParkingAndCrimeCameras()
            let admin = try await app.signIn(as: .administrator)
            func post(_ camera: String, _ body: String, as session: TestSession? = nil) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.POST, "/api/cameras/\(camera)/retask", headers: (session ?? admin).headers, body: .text(body))
            }
            let cases: [(String, String)] = [
                ("{\"reason\": \"ab\", \"minutes\": 30}", "'reason'"),
                ("{\"reason\": \"robbery\", \"minutes\": 4}", "'minutes'"),
                ("{\"reason\": \"robbery\", \"minutes\": 1441}", "'minutes'"),
                ("{\"reason\": \"robbery\", \"minutes\": 30, \"to\": \"childProtection\"}", "'to'"),
                ("{\"reason\": \"robbery\", \"minutes\": 30, \"to\": \"nonsense\"}", "'to'"),
                ("{\"reason\": \"robbery\", \"minutes\": 30, \"until\": \"tomorrow\"}", "until"),
                ("{\"reason\": \"robbery\"}", "minutes"),
            ]
            for (body, field) in cases {
                let answer = try await post(parking.uuidString, body)
                #expect(answer.status == .badRequest && answer.body.string.contains(field), "\(body) → \(answer.status) \(answer.body.string)")
            }
            let notParking = try await post(crime.uuidString, "{\"reason\": \"robbery\", \"minutes\": 30}")
            #expect(notParking.status == .conflict && notParking.body.string.contains("생활방범"), "\(notParking.body.string)")
            #expect(try await post(UUID().uuidString, "{\"reason\": \"robbery\", \"minutes\": 30}").status == .notFound)
            #expect(try await post("not-a-camera", "{\"reason\": \"robbery\", \"minutes\": 30}").status == .badRequest)
            #expect(try await app.testing().sendRequest(.DELETE, "/api/cameras/\(parking)/retask", headers: admin.headers).status == .conflict)
            #expect(try await RetaskingRepository(database: app.db).unreverted().isEmpty, "nothing refused was stored")

            for role in [Role.police, .maintenance, .privacyOfficer] {
                let user = try await app.signIn(as: role)
                #expect(try await post(parking.uuidString, "{\"reason\": \"robbery\", \"minutes\": 30}", as: user).status == .forbidden, "\(role)")
                #expect(try await app.testing().sendRequest(.GET, "/api/retaskings", headers: user.headers).status == .ok)
            }
            // An operator without the camera in a group of theirs does not see it at all.
            let stranger = try await app.signIn(as: .operator)
            #expect(try await post(parking.uuidString, "{\"reason\": \"robbery\", \"minutes\": 30}", as: stranger).status == .notFound)
            #expect(try await post(parking.uuidString, "{\"reason\": \"robbery\", \"minutes\": 30}").status == .created)
            let hidden = try Self.decode(List.self, try await app.testing().sendRequest(.GET, "/api/retaskings", headers: stranger.headers))
            #expect(hidden.active.isEmpty, "re-taskings of cameras a user may not see are not listed")
        }
    }
}
