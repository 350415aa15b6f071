import CityWatchDomain
import Foundation
import Testing

/// The alarm queue's order and what operators may do to an alarm; incident rules.
@Suite("Alarm queue and incident rules")
struct AlarmQueueTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func alarm(_ priority: Alarm.Priority, at seconds: Double, status: Alarm.Status = .open, drill: Bool = false, title: String = "") -> Alarm {
        Alarm(source: .operator, priority: priority, status: status, title: title, raisedAt: t0.addingTimeInterval(seconds), drill: drill)
    }

    @Test func urgentFirstThenLongestWaitingDrillsAfterRealFinishedLastNewestFirst() {
        let alarms = [
            alarm(.normal, at: 10, title: "normal-late"),
            alarm(.critical, at: 50, drill: true, title: "critical-drill"),
            alarm(.low, at: 0, status: .dismissed, title: "done-old"),
            alarm(.normal, at: 5, title: "normal-early"),
            alarm(.critical, at: 60, title: "critical-real"),
            alarm(.high, at: 1, status: .acknowledged, title: "high-ack"),
            alarm(.high, at: 2, title: "high-open"),
            alarm(.critical, at: 70, status: .escalated, title: "done-new"),
        ]
        let order = alarms.shuffled().sorted(by: AlarmQueue.inQueueOrder).map(\.title)
        #expect(order == ["critical-real", "critical-drill", "high-open", "high-ack", "normal-early", "normal-late", "done-new", "done-old"])
    }

    @Test func acknowledgingDismissingAndEscalatingFollowTheStates() throws {
        let open = alarm(.high, at: 0)
        let acknowledged = try AlarmQueue.apply(.acknowledge, to: open, by: "kim", note: "  on it ", at: t0)
        #expect(acknowledged.status == .acknowledged && acknowledged.handledBy == "kim" && acknowledged.notes.map(\.text) == ["on it"])
        #expect(throws: AlarmQueue.Refusal.alreadyClosed(.acknowledged)) { try AlarmQueue.apply(.acknowledge, to: acknowledged, by: "lee", note: nil, at: t0) }
        #expect(throws: AlarmQueue.Refusal.noteRequired(.dismiss)) { try AlarmQueue.apply(.dismiss, to: acknowledged, by: "kim", note: "   ", at: t0) }
        let dismissed = try AlarmQueue.apply(.dismiss, to: acknowledged, by: "kim", note: "a cat", at: t0.addingTimeInterval(30))
        #expect(dismissed.status == .dismissed && dismissed.notes.count == 2 && dismissed.handledAt == t0.addingTimeInterval(30))
        #expect(throws: AlarmQueue.Refusal.alreadyClosed(.dismissed)) { try AlarmQueue.apply(.escalate, to: dismissed, by: "kim", note: nil, at: t0) }
        // A note may still be added to a finished alarm, and only a note.
        let annotated = try AlarmQueue.apply(.annotate, to: dismissed, by: "park", note: "checked again", at: t0)
        #expect(annotated.status == .dismissed && annotated.notes.last?.by == "park" && annotated.handledBy == "kim")
        #expect(throws: AlarmQueue.Refusal.noteRequired(.annotate)) { try AlarmQueue.apply(.annotate, to: open, by: "kim", note: nil, at: t0) }
        #expect(throws: AlarmQueue.Refusal.noteTooLong(1_000)) {
            try AlarmQueue.apply(.acknowledge, to: open, by: "kim", note: String(repeating: "가", count: 1_001), at: t0)
        }
        let incident = UUID()
        let escalated = try AlarmQueue.apply(.escalate, to: open, by: "kim", note: nil, at: t0, incidentID: incident)
        #expect(escalated.status == .escalated && escalated.incidentID == incident && !escalated.status.isActive)
        // A dismissal is taken back: open again, the notes kept; only a dismissed alarm reopens.
        let reopened = try AlarmQueue.apply(.reopen, to: dismissed, by: "lee", note: "it came back", at: t0.addingTimeInterval(60))
        #expect(reopened.status == .open && reopened.handledBy == "lee" && reopened.notes.map(\.text) == ["on it", "a cat", "it came back"])
        #expect(throws: AlarmQueue.Refusal.notDismissed(.escalated)) { try AlarmQueue.apply(.reopen, to: escalated, by: "kim", note: nil, at: t0) }
        #expect(throws: AlarmQueue.Refusal.notDismissed(.open)) { try AlarmQueue.apply(.reopen, to: open, by: "kim", note: nil, at: t0) }
    }

    @Test func analyticsKindsGetPrioritiesPeopleWhereTheyMustNotBeFirst() {
        #expect(Alarm.priority(forAnalyticsKind: "intrusion") == .high)
        #expect(Alarm.priority(forAnalyticsKind: "loitering") == .normal)
        #expect(Alarm.priority(forAnalyticsKind: "something new") == .low)
        #expect(Alarm.Priority.critical > .high && Alarm.Priority.normal > .low)
    }

    @Test func incidentRulesCheckFieldsAndNumberByKoreanYear() throws {
        #expect(try IncidentRules.title("  화재 신고 ") == "화재 신고")
        #expect(throws: IncidentRules.Refusal.field("title", "must be 2–200 characters")) { try IncidentRules.title(" x ") }
        #expect(throws: IncidentRules.Refusal.self) { try IncidentRules.grade(0) }
        #expect(try IncidentRules.grade(1) == 1)
        let camera = UUID()
        #expect(throws: IncidentRules.Refusal.field("to", "the clip must end after it starts")) {
            try IncidentRules.clip(IncidentClip(cameraID: camera, from: t0, to: t0, label: ""))
        }
        #expect(throws: IncidentRules.Refusal.self) {
            try IncidentRules.clip(IncidentClip(cameraID: camera, from: t0, to: t0.addingTimeInterval(86_401), label: ""))
        }
        #expect(IncidentRules.number(year: 2026, sequence: 42) == "2026-0042")
        // 2026-12-31 15:00 UTC is already 2027-01-01 00:00 in Seoul.
        let newYearInSeoul = try #require(ISO8601DateFormatter().date(from: "2026-12-31T15:00:00Z"))
        #expect(IncidentRules.koreanYear(of: newYearInSeoul) == 2027)
        #expect(IncidentRules.koreanYear(of: newYearInSeoul.addingTimeInterval(-1)) == 2026)
        let window = IncidentHoldPolicy.standard.window(around: t0)
        #expect(window.from == t0.addingTimeInterval(-1_800) && window.to == t0.addingTimeInterval(3_600))
    }
}
