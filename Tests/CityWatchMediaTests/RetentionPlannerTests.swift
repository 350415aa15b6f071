import CityWatchMedia
import Foundation
import PropertyBased
import Testing

@Suite("Retention decisions")
struct RetentionPlannerTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    static let day: TimeInterval = 86_400
    static let cameraA = UUID(), cameraB = UUID()

    static func segment(_ camera: UUID, daysAgo: Double, bytes: Int64 = 100) -> RetentionPlanner.Segment {
        let end = now.addingTimeInterval(-daysAgo * day)
        return .init(id: UUID(), cameraID: camera, start: end.addingTimeInterval(-60), end: end, bytes: bytes)
    }

    @Test func expiredSegmentsGoAndPerCameraDaysOverrideTheDefault() {
        let old = Self.segment(Self.cameraA, daysAgo: 31), young = Self.segment(Self.cameraA, daysAgo: 29)
        let schoolOld = Self.segment(Self.cameraB, daysAgo: 60), schoolKept = Self.segment(Self.cameraB, daysAgo: 80)
        let planner = RetentionPlanner(retentionDays: [Self.cameraB: 90], defaultDays: 30)
        let plan = planner.plan(segments: [old, young, schoolOld, schoolKept], holds: [], now: Self.now)
        #expect(plan.deletions.map(\.id) == [old.id])
        #expect(plan.deletions.map(\.reason) == [.expired])
    }

    @Test func legalHoldKeepsExpiredFootage() {
        let held = Self.segment(Self.cameraA, daysAgo: 40)
        let hold = RetentionPlanner.Hold(cameraID: Self.cameraA, from: held.start.addingTimeInterval(30), to: held.end.addingTimeInterval(3_600))
        let otherCamera = RetentionPlanner.Hold(cameraID: Self.cameraB, from: held.start, to: held.end)
        #expect(RetentionPlanner().plan(segments: [held], holds: [hold], now: Self.now).deletions.isEmpty)
        #expect(RetentionPlanner().plan(segments: [held], holds: [otherCamera], now: Self.now).deletions.count == 1)
    }

    @Test func quotaDeletesOldestFirstAndNeverHeldFootage() {
        let s1 = Self.segment(Self.cameraA, daysAgo: 5), s2 = Self.segment(Self.cameraB, daysAgo: 4)
        let s3 = Self.segment(Self.cameraA, daysAgo: 3), s4 = Self.segment(Self.cameraA, daysAgo: 1)
        let hold = RetentionPlanner.Hold(cameraID: Self.cameraA, from: s1.start, to: s1.end)
        let plan = RetentionPlanner(quotaBytes: 250).plan(segments: [s4, s3, s2, s1], holds: [hold], now: Self.now)
        #expect(plan.deletions.map(\.id) == [s2.id, s3.id])
        #expect(plan.deletions.allSatisfy { $0.reason == .quota })
        #expect(plan.bytesAfter == 200 && !plan.quotaBlockedByHolds)
    }

    @Test func quotaThatOnlyHeldFootageExceedsIsReportedNotForced() {
        let s1 = Self.segment(Self.cameraA, daysAgo: 2, bytes: 500)
        let hold = RetentionPlanner.Hold(cameraID: Self.cameraA, from: s1.start, to: s1.end)
        let plan = RetentionPlanner(quotaBytes: 100).plan(segments: [s1], holds: [hold], now: Self.now)
        #expect(plan.deletions.isEmpty && plan.quotaBlockedByHolds)
    }

    @Test func randomPlansKeepEveryHeldSegmentAndMeetTheQuotaWhenTheyCan() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...60).array(of: 0...40), Gen.int(in: 0...3_000), Gen.int(in: 0...4)) { ages, quota, holdCount in
            let segments = ages.enumerated().map { index, age in Self.segment(index % 2 == 0 ? Self.cameraA : Self.cameraB, daysAgo: Double(age), bytes: 100) }
            let holds = segments.prefix(holdCount).map { RetentionPlanner.Hold(cameraID: $0.cameraID, from: $0.start, to: $0.end) }
            let plan = RetentionPlanner(defaultDays: 30, quotaBytes: Int64(quota)).plan(segments: segments, holds: holds, now: Self.now)
            let deleted = Set(plan.deletions.map(\.id))
            #expect(segments.prefix(holdCount).allSatisfy { !deleted.contains($0.id) })
            let remaining = segments.filter { !deleted.contains($0.id) }
            #expect(plan.bytesAfter == remaining.reduce(0) { $0 + $1.bytes })
            #expect(plan.bytesAfter <= Int64(quota) || plan.quotaBlockedByHolds)
            #expect(remaining.filter { $0.end < Self.now.addingTimeInterval(-30 * Self.day) }.allSatisfy { seg in holds.contains { $0.cameraID == seg.cameraID && $0.from < seg.end && seg.start < $0.to } })
        }
    }
}
