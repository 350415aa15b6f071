import CityWatchDomain
import Foundation
import Testing

/// The ranking of selective monitoring and its two judgements: unusual motion, school hours.
@Suite("Selective monitoring")
struct SelectiveMonitoringTests {
    let a = UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!
    let b = UUID(uuidString: "00000000-0000-0000-0000-00000000000B")!
    let c = UUID(uuidString: "00000000-0000-0000-0000-00000000000C")!

    func signal(_ camera: UUID, _ kind: SelectiveMonitoring.Reason.Kind, _ weight: Double, _ text: String = "") -> SelectiveMonitoring.Signal {
        .init(cameraID: camera, reason: .init(kind: kind, text: text, weight: weight))
    }

    @Test func reasonsAddUpOncePerKindAndTheHeaviestCameraComesFirst() {
        let picks = SelectiveMonitoring.rank([
            signal(a, .event, 30, "intrusion"), signal(a, .event, 30, "loitering"), signal(a, .schoolHours, 8),
            signal(b, .incident, 110, "사건 2026-0001"), signal(c, .alarm, 40), signal(c, .alarm, 70, "heavier"),
        ], limit: 10)
        #expect(picks.map(\.cameraID) == [b, c, a])
        #expect(picks[1].score == 70 && picks[1].reasons.map(\.text) == ["heavier"], "the same kind counts once, at its heaviest")
        #expect(picks[2].score == 38 && picks[2].reasons.map(\.kind) == [.event, .schoolHours])
        #expect(SelectiveMonitoring.rank([signal(b, .event, 30), signal(a, .event, 30)], limit: 1).map(\.cameraID) == [a], "ties go to the camera id")
        #expect(SelectiveMonitoring.Weight.incident(grade: 3) > SelectiveMonitoring.Weight.alarm(.critical, drill: false))
        #expect(SelectiveMonitoring.Weight.alarm(.critical, drill: true) < SelectiveMonitoring.Weight.alarm(.critical, drill: false))
        #expect(SelectiveMonitoring.Weight.unusualMotion(factor: 100) < SelectiveMonitoring.Weight.event)
    }

    @Test func motionIsUnusualWhenItIsWellAboveTheUsualForThatTime() {
        #expect(SelectiveMonitoring.unusualMotion(recent: 300, usual: [20, 40, 30]) == 10)
        #expect(SelectiveMonitoring.unusualMotion(recent: 80, usual: [20, 40, 30]) == nil, "2.7× is within the usual spread")
        #expect(SelectiveMonitoring.unusualMotion(recent: 20, usual: [0, 0]) == nil, "too little motion to matter")
        #expect(SelectiveMonitoring.unusualMotion(recent: 60, usual: [0, 0]) == 60, "a camera quiet at that hour counts a usual of 1 s")
        #expect(SelectiveMonitoring.unusualMotion(recent: 600, usual: []) == nil, "no earlier days, no judgement")
    }

    @Test func schoolHoursAreWeekdayMorningsAndAfternoonsInKorea() throws {
        let formatter = ISO8601DateFormatter()
        func at(_ text: String) throws -> Date { try #require(formatter.date(from: text)) }
        // 2026-11-30 is a Monday.
        #expect(SelectiveMonitoring.isSchoolHours(try at("2026-11-30T08:00:00+09:00")))
        #expect(SelectiveMonitoring.isSchoolHours(try at("2026-11-30T15:30:00+09:00")))
        #expect(!SelectiveMonitoring.isSchoolHours(try at("2026-11-30T10:00:00+09:00")))
        #expect(!SelectiveMonitoring.isSchoolHours(try at("2026-11-30T07:29:00+09:00")))
        #expect(!SelectiveMonitoring.isSchoolHours(try at("2026-11-28T08:00:00+09:00")), "Saturday")
        #expect(SelectiveMonitoring.isSchoolHours(try at("2026-11-29T23:30:00Z")), "Monday 08:30 in Seoul is Sunday in UTC")
    }
}
