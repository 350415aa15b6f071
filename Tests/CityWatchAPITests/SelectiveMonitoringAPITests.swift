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

/// `GET /api/wall/selective` over stored incidents, alarms, events and motion, for the cameras
/// the user may see.
@Suite("Selective monitoring API")
struct SelectiveMonitoringAPITests {
    struct Pick: Decodable {
        struct Reason: Decodable {
            var kind: String
            var text: String
        }

        var cameraId: UUID
        var label: String
        var reasons: [Reason]
    }

    /// A motion minute of `camera` at `at` with `seconds` active seconds.
    static func motion(_ camera: UUID, at: Date, seconds: Int, on database: any Database) async throws {
        let model = MotionMinuteModel()
        model.cameraID = camera
        model.minuteAt = at
        model.activeSeconds = seconds
        model.summary = Data()
        model.seconds = Data()
        model.cells0 = 0
        model.cells1 = 0
        model.cells2 = 0
        try await model.create(on: database)
    }

    @Test(arguments: DatabaseKind.allCases)
    func theWallGetsIncidentsAlarmsEventsAndUnusualMotionWithTheirReasons(_ kind: DatabaseKind) async throws {
        // Saturday 03:00 in Seoul: no school hours.
        let clock = TestClock(start: try #require(ISO8601DateFormatter().date(from: "2026-11-28T03:00:00+09:00")))
        try await withCityWatch(kind, clock: { clock.now }) { app in
            let cameras = try await app.makeCameras(6)
            let now = clock.now
            let service = IncidentService(database: app.db, center: app.cityWatch.alarms, clock: { clock.now })
            _ = try await service.open(.init(kind: .crime, title: "강도", grade: 1, occurredAt: now, cameraIDs: [cameras[0]]), by: "kim")
            try await service.raise(Alarm(source: .operator, priority: .high, title: "싸움", cameraIDs: [cameras[1]], raisedAt: now))
            let dismissed = try await service.raise(Alarm(source: .operator, priority: .critical, title: "오보", cameraIDs: [cameras[5]], raisedAt: now))
            _ = try await service.act(.dismiss, alarm: dismissed.id, by: "kim", note: "오보")
            try await AnalyticsRepository(database: app.db).insert(AnalyticsEvent(cameraID: cameras[2], ruleID: nil, ruleName: "정문 침입", kind: "intrusion",
                                                                                  at: now.addingTimeInterval(-120), trackIDs: [1], boxes: [], classes: []), snapshotPath: nil)
            // Camera 3 moves 5 minutes of the last 10, against about 20 s a day before; camera 4 as usual.
            for minute in 0..<5 {
                try await Self.motion(cameras[3], at: now.addingTimeInterval(Double(-minute - 1) * 60), seconds: 60, on: app.db)
                try await Self.motion(cameras[4], at: now.addingTimeInterval(Double(-minute - 1) * 60), seconds: 60, on: app.db)
            }
            for day in 1...7 {
                try await Self.motion(cameras[3], at: now.addingTimeInterval(Double(-day) * 86_400 - 60), seconds: 20, on: app.db)
                try await Self.motion(cameras[4], at: now.addingTimeInterval(Double(-day) * 86_400 - 60), seconds: 250, on: app.db)
            }
            let admin = try await app.signIn(as: .administrator)
            let answer = try await app.testing().sendRequest(.GET, "/api/wall/selective", headers: admin.headers)
            #expect(answer.status == .ok, "\(answer.body.string)")
            let picks = try JSONDecoder().decode([Pick].self, from: Data(answer.body.readableBytesView))
            #expect(picks.map(\.cameraId) == [cameras[0], cameras[1], cameras[2], cameras[3]])
            #expect(picks.map { $0.reasons.first?.kind } == ["incident", "alarm", "event", "unusualMotion"])
            #expect(picks[3].reasons[0].text.contains("15배"), "\(picks[3].reasons[0].text)")
            #expect(picks.allSatisfy { !$0.label.isEmpty })
            // An operator without groups sees none of these cameras.
            let officer = try await app.signIn(as: .operator)
            #expect(try await app.testing().sendRequest(.GET, "/api/wall/selective", headers: officer.headers).body.string == "[]")
            // Monday 08:00: a school camera joins, at the bottom.
            clock.advance(2 * 86_400 + 5 * 3_600)
            let school = try await app.makeCamerasWithPurpose("어린이보호")
            let later = try await app.signIn(as: .administrator)
            let mondayAnswer = try await app.testing().sendRequest(.GET, "/api/wall/selective?limit=25", headers: later.headers)
            #expect(mondayAnswer.status == .ok, "\(mondayAnswer.body.string)")
            let monday = try JSONDecoder().decode([Pick].self, from: Data(mondayAnswer.body.readableBytesView))
            #expect(monday.last?.cameraId == school && monday.last?.reasons.map(\.kind) == ["schoolHours"], "\(mondayAnswer.body.string)")
        }
    }
}

extension Application {
    /// Imports one more single-camera site of `purpose`; returns its camera id.
    func makeCamerasWithPurpose(_ purpose: String) async throws -> UUID {
        let before = Set(try await RegistryRepository(database: db).loadAll().cameras.map(\.id))
        let row = RegistryFixtures.currentRow(number: 900, purpose: purpose, cameras: "1")
        let path = try RegistryFixtures.write(Data(RegistryFixtures.csv([RegistryFixtures.currentHeader, row]).utf8))
        _ = try await RegistryImporter(database: db).importFile(at: path, actor: "test")
        cityWatch.directory.invalidate()
        return try #require(try await RegistryRepository(database: db).loadAll().cameras.map(\.id).first { !before.contains($0) })
    }
}
