import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import SQLKit
import Vapor
import VaporTesting

/// Bell presses through the API: signed by the bell's secret, checked for forgery, age and
/// replay, turned into a critical alarm with the bell's cameras sent to the walls; drills
/// marked and kept out of the statistics.
@Suite("Bell presses API")
struct BellPressAPITests {
    /// A bell 20 m north of the camera's site, stored; returns its management number.
    /// The `reason` of an error answer (its keys come in no fixed order).
    static func reason(_ response: TestingHTTPResponse) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])?["reason"] as? String
    }

    static func bellNear(_ camera: UUID, app: Application, number: String = "4168000001-B-0001") async throws -> String {
        let snapshot = try await app.cityWatch.directory.snapshot(on: app.db)
        let site = snapshot.siteOfCamera[try #require(snapshot.cameraIndex[camera])]
        var record = BellRecord()
        record.managementNumber = number
        record.purpose = "방범용"
        record.placeType = "학교"
        record.location = "역삼초등학교 정문"
        record.roadAddress = "서울특별시 강남구 역삼로 1"
        record.latitude = site.record.latitude + 20 / 111_320
        record.longitude = site.record.longitude
        _ = try await BellRepository(database: app.db).upsert([record], now: Date())
        return number
    }

    struct Signed {
        var headers: HTTPHeaders
    }

    static func signed(_ number: String, secret: String, time: Date = Date(), nonce: String = UUID().uuidString, drill: Bool = false,
                       tamper: Bool = false) -> HTTPHeaders {
        let seconds = Int64(time.timeIntervalSince1970)
        var signature = BellPressService.signature(secret: secret, bell: number, time: seconds, nonce: nonce, drill: drill)
        if tamper { signature = String(signature.reversed()) }
        return ["X-Bell-Time": String(seconds), "X-Bell-Nonce": nonce, "X-Bell-Signature": signature, "X-Bell-Mode": drill ? "drill" : "live"]
    }

    struct PressAnswer: Decodable {
        var alarmId: UUID
        var cameras: Int
        var drill: Bool
    }

    /// The store fails while the press's alarm is raised (its table is taken away for a moment):
    /// the bell gets an error, and its retry with the same nonce is taken, not refused as a replay.
    @Test func aPressWhoseAlarmCouldNotBeRaisedIsTakenWhenTheBellRetries() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(1)
            let number = try await Self.bellNear(cameras[0], app: app)
            let sealer = try CredentialSealer.load(base64: nil, folder: (app.cityWatch.configuration.dataDirectory as NSString).appendingPathComponent("keys"))
            let (_, secret) = try await BellPressService(database: app.db, center: app.cityWatch.alarms, sealer: sealer).issueSecret(bell: number, by: "test")
            let headers = Self.signed(number, secret: secret)
            let path = "/api/bells/\(number)/press"
            try await app.db.sql.raw("ALTER TABLE alarms RENAME TO alarms_away").run()
            let failed = try await app.testing().sendRequest(.POST, path, headers: headers)
            #expect(failed.status == .internalServerError, "\(failed.status) \(failed.body.string)")
            try await app.db.sql.raw("ALTER TABLE alarms_away RENAME TO alarms").run()
            let retried = try await app.testing().sendRequest(.POST, path, headers: headers)
            #expect(retried.status == .accepted, "the same press again is taken: \(retried.body.string)")
            #expect(try await AlarmModel.query(on: app.db).count() == 1)
            let replay = try await app.testing().sendRequest(.POST, path, headers: headers)
            #expect(replay.status == .conflict, "and then it is a replay: \(replay.status)")
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func aSignedPressRaisesACriticalAlarmWithTheBellsCamerasAndForgeriesAndReplaysAreRefused(_ kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let cameras = try await app.makeCameras(3)
            let number = try await Self.bellNear(cameras[1], app: app)
            let client = try app.testing()
            let path = "/api/bells/\(number)/press"
            // No secret yet: refused, the bell cannot prove itself.
            let early = try await client.sendRequest(.POST, path, headers: Self.signed(number, secret: "guess"))
            #expect(early.status == .unauthorized && !early.body.string.contains("secret"), "\(early.body.string)")
            let why = try await AuditLog(database: app.db).list(.init(action: "bell.press.refused")).first?.details ?? ""
            #expect(why.contains("citywatch bells key"), "the audit line says what to do: \(why)")
            let sealer = try CredentialSealer.load(base64: nil, folder: (app.cityWatch.configuration.dataDirectory as NSString).appendingPathComponent("keys"))
            let (_, secret) = try await BellPressService(database: app.db, center: app.cityWatch.alarms, sealer: sealer).issueSecret(bell: number, by: "test")

            let listener = app.cityWatch.alarms.subscribe()
            let headers = Self.signed(number, secret: secret)
            let pressed = try await client.sendRequest(.POST, path, headers: headers)
            #expect(pressed.status == .accepted, "\(pressed.body.string)")
            let answer = try JSONDecoder().decode(PressAnswer.self, from: Data(pressed.body.readableBytesView))
            #expect(answer.cameras >= 1 && !answer.drill)
            let alarm = try #require(try await IncidentRepository(database: app.db).alarm(answer.alarmId))
            #expect(alarm.source == .bell && alarm.priority == .critical && alarm.toWall && alarm.cameraIDs.first == cameras[1])
            #expect(alarm.title.contains("역삼초등학교 정문") && alarm.sourceRef == number)
            var messages = listener.makeAsyncIterator()
            var wall: AlarmCenter.WallRequest?
            while wall == nil, let message = await messages.next() {
                if case .wall(let request) = message { wall = request }
            }
            #expect(wall?.cameraIDs.first == cameras[1] && wall?.alarmID == alarm.id)

            // The same press again is a replay; forged, old, malformed and unknown ones are refused.
            #expect(try await client.sendRequest(.POST, path, headers: headers).status == .conflict)
            #expect(try await client.sendRequest(.POST, path, headers: Self.signed(number, secret: secret, tamper: true)).status == .unauthorized)
            #expect(try await client.sendRequest(.POST, path, headers: Self.signed(number, secret: "not-the-secret")).status == .unauthorized)
            let old = try await client.sendRequest(.POST, path, headers: Self.signed(number, secret: secret, time: Date().addingTimeInterval(-600)))
            #expect(old.status == .unauthorized && old.body.string.contains("s away from the server's clock"), "\(old.body.string)")
            var noNonce = Self.signed(number, secret: secret)
            noNonce.remove(name: "X-Bell-Nonce")
            let missing = try await client.sendRequest(.POST, path, headers: noNonce)
            #expect(missing.status == .badRequest && missing.body.string.contains("X-Bell-Nonce"))
            #expect(try await client.sendRequest(.POST, path, headers: Self.signed(number, secret: secret, nonce: "short")).status == .badRequest)
            // An unknown bell answers as a wrong signature does: bells cannot be enumerated.
            let unknown = try await client.sendRequest(.POST, "/api/bells/NO-SUCH-BELL/press", headers: Self.signed("NO-SUCH-BELL", secret: secret))
            let forged = try await client.sendRequest(.POST, path, headers: Self.signed(number, secret: "forged-secret"))
            #expect(unknown.status == .unauthorized && unknown.status == forged.status && Self.reason(unknown) == Self.reason(forged),
                    "\(unknown.status) \(unknown.body.string) / \(forged.status) \(forged.body.string)")
            #expect(try await client.sendRequest(.POST, "/api/bells/NO-SUCH-BELL/press", headers: [:]).status == .badRequest,
                    "malformed headers answer alike for every bell")
            // The drill flag is signed: flipping the mode header breaks the signature.
            var flipped = Self.signed(number, secret: secret)
            flipped.replaceOrAdd(name: "X-Bell-Mode", value: "drill")
            #expect(try await client.sendRequest(.POST, path, headers: flipped).status == .unauthorized)
            // Every refusal above is audit-logged: the minute's first of each kind in full (so each
            // kind tried is on record), the repeats in one summary row per kind and address (a
            // flood of junk presses writes two rows, not one each).
            let refused = try await AuditLog(database: app.db).list(.init(action: "bell.press.refused"))
            #expect(refused.count == 7, "one row per kind: \(refused.map(\.details))")
            try await app.cityWatch.refusals.flush(audit: AuditLog(database: app.db), now: Date(), force: true)
            let summaries = try await AuditLog(database: app.db).list(.init(action: "anonymous.refusals")).filter { $0.target == "bell" }
            #expect(refused.count + summaries.map { AuditDetails.int("refusals", in: $0.details) - 1 }.reduce(0, +) == 11)
            #expect(summaries.contains { $0.details.contains("\"kind\":\"badSignature\"") && AuditDetails.int("refusals", in: $0.details) == 4 })

            // Drills: from the bell's training mode, or any press inside a drill window.
            let drillPress = try JSONDecoder().decode(PressAnswer.self, from: Data(
                try await client.sendRequest(.POST, path, headers: Self.signed(number, secret: secret, drill: true)).body.readableBytesView))
            #expect(drillPress.drill)
            let admin = try await app.signIn(as: .administrator)
            let window = try await client.sendRequest(.POST, "/api/bells/drills", headers: admin.headers, body: .text("{\"bell\": \"\(number)\", \"minutes\": 30, \"note\": \"3학년 안전교육\"}"))
            #expect(window.status == .created, "\(window.body.string)")
            let inWindow = try JSONDecoder().decode(PressAnswer.self, from: Data(
                try await client.sendRequest(.POST, path, headers: Self.signed(number, secret: secret)).body.readableBytesView))
            #expect(inWindow.drill)
            let drillAlarm = try #require(try await IncidentRepository(database: app.db).alarm(inWindow.alarmId))
            #expect(drillAlarm.drill && drillAlarm.title.hasPrefix("[훈련]"))
            let badWindow = try await client.sendRequest(.POST, "/api/bells/drills", headers: admin.headers, body: .text("{\"minutes\": 0}"))
            #expect(badWindow.status == .badRequest && badWindow.body.string.contains("minutes"))
            struct Stats: Decodable { var total: Int; var drills: Int }
            let stats = try JSONDecoder().decode(Stats.self, from: Data(
                try await client.sendRequest(.GET, "/api/alarms/stats", headers: admin.headers).body.readableBytesView))
            #expect(stats.total == 1 && stats.drills == 2)
            let presses = try await client.sendRequest(.GET, "/api/bells/presses", headers: admin.headers)
            #expect(presses.status == .ok && presses.body.string.components(separatedBy: "\"receivedAt\"").count - 1 == 3)
        }
    }
}
