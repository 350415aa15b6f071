import Foundation

/// Decides which recording segments to delete, as a pure function.
///
/// Two rules, in order: a segment older than its camera's retention period is deleted
/// ("expired"); then, while the recordings use more than the disk quota, the oldest segments
/// go first ("quota"). A segment that overlaps an active legal hold on its camera is never
/// deleted, by either rule; when only held footage is left over the quota, the planner says so
/// instead of deleting it.
public struct RetentionPlanner: Sendable {
    /// A segment as retention sees it.
    public struct Segment: Sendable, Equatable {
        public var id: UUID
        public var cameraID: UUID
        public var start: Date
        public var end: Date
        public var bytes: Int64

        public init(id: UUID, cameraID: UUID, start: Date, end: Date, bytes: Int64) {
            self.id = id
            self.cameraID = cameraID
            self.start = start
            self.end = end
            self.bytes = bytes
        }
    }

    /// Footage that must be kept.
    public struct Hold: Sendable, Equatable {
        public var cameraID: UUID
        public var from: Date
        public var to: Date

        public init(cameraID: UUID, from: Date, to: Date) {
            self.cameraID = cameraID
            self.from = from
            self.to = to
        }
    }

    /// Why a segment is deleted.
    public enum Reason: String, Sendable, Equatable {
        case expired, quota
    }

    /// The plan.
    public struct Plan: Sendable, Equatable {
        public var deletions: [(id: UUID, reason: Reason)]
        /// Bytes the recordings will use after the deletions.
        public var bytesAfter: Int64
        /// True when the quota cannot be met because what is left is under legal hold.
        public var quotaBlockedByHolds: Bool

        public static func == (lhs: Plan, rhs: Plan) -> Bool {
            lhs.deletions.map(\.id) == rhs.deletions.map(\.id) && lhs.deletions.map(\.reason) == rhs.deletions.map(\.reason)
                && lhs.bytesAfter == rhs.bytesAfter && lhs.quotaBlockedByHolds == rhs.quotaBlockedByHolds
        }
    }

    /// Retention days per camera; cameras not listed keep `defaultDays`.
    public var retentionDays: [UUID: Int]
    public var defaultDays: Int
    /// Bytes the recordings may use; nil for no quota.
    public var quotaBytes: Int64?

    public init(retentionDays: [UUID: Int] = [:], defaultDays: Int = 30, quotaBytes: Int64? = nil) {
        self.retentionDays = retentionDays
        self.defaultDays = defaultDays
        self.quotaBytes = quotaBytes
    }

    /// The deletions for `segments` at `now`, given the active `holds`.
    public func plan(segments: [Segment], holds: [Hold], now: Date) -> Plan {
        let holdsByCamera = Dictionary(grouping: holds, by: \.cameraID)
        func held(_ segment: Segment) -> Bool {
            holdsByCamera[segment.cameraID]?.contains { $0.from < segment.end && segment.start < $0.to } ?? false
        }
        var deletions: [(UUID, Reason)] = []
        var kept: [Segment] = []
        var total: Int64 = 0
        for segment in segments {
            let days = retentionDays[segment.cameraID] ?? defaultDays
            let expiry = segment.end.addingTimeInterval(Double(days) * 86_400)
            if expiry <= now && !held(segment) {
                deletions.append((segment.id, .expired))
            } else {
                kept.append(segment)
                total += segment.bytes
            }
        }
        var blocked = false
        if let quota = quotaBytes, total > quota {
            for segment in kept.sorted(by: { $0.start < $1.start }) where total > quota {
                if held(segment) { continue }
                deletions.append((segment.id, .quota))
                total -= segment.bytes
            }
            blocked = total > quota
        }
        return Plan(deletions: deletions, bytesAfter: total, quotaBlockedByHolds: blocked)
    }
}
