import Foundation

/// Selective monitoring: no one can watch 1,100 cameras, so the wall fills itself with the ones
/// that need eyes now — cameras of open incidents and active alarms, recent unacknowledged
/// events, motion unusual for the time of day, school cameras while children come and go — each
/// with the reasons it was chosen. Pure: the app layer gathers the signals.
public enum SelectiveMonitoring {
    /// Why a camera is asked for.
    public struct Reason: Codable, Sendable, Hashable {
        public enum Kind: String, Codable, Sendable {
            case incident, alarm, event, unusualMotion, schoolHours
        }

        public var kind: Kind
        /// What the tile shows ("사건 2026-0003", "침입 2분 전", "움직임 평소의 5배").
        public var text: String
        /// How much it weighs in the ranking.
        public var weight: Double

        public init(kind: Kind, text: String, weight: Double) {
            self.kind = kind
            self.text = text
            self.weight = weight
        }
    }

    /// One reason for one camera.
    public struct Signal: Sendable, Hashable {
        public var cameraID: UUID
        public var reason: Reason

        public init(cameraID: UUID, reason: Reason) {
            self.cameraID = cameraID
            self.reason = reason
        }
    }

    /// A camera the wall should show, with its reasons heaviest first.
    public struct Pick: Codable, Sendable, Hashable {
        public var cameraID: UUID
        public var score: Double
        public var reasons: [Reason]
    }

    /// Weights: an open incident outranks any alarm, an alarm any event, an event unusual motion,
    /// and unusual motion the school-hours watch.
    public enum Weight {
        public static func incident(grade: Int) -> Double { 100 + Double(max(0, 3 - grade)) * 10 }
        public static func alarm(_ priority: Alarm.Priority, drill: Bool) -> Double {
            let base: Double = switch priority {
            case .critical: 90
            case .high: 70
            case .normal: 40
            case .low: 20
            }
            return drill ? base / 2 : base
        }
        public static let event: Double = 30
        public static func unusualMotion(factor: Double) -> Double { 10 + min(factor, 10) * 1.5 }
        public static let schoolHours: Double = 8
    }

    /// The cameras to show, best first, at most `limit`: each camera's reasons add up (the same
    /// kind of reason counts once, at its heaviest); ties go to the camera id for a stable wall.
    public static func rank(_ signals: [Signal], limit: Int) -> [Pick] {
        var reasons: [UUID: [Reason.Kind: Reason]] = [:]
        for signal in signals {
            let existing = reasons[signal.cameraID]?[signal.reason.kind]
            if existing == nil || existing!.weight < signal.reason.weight {
                reasons[signal.cameraID, default: [:]][signal.reason.kind] = signal.reason
            }
        }
        let picks = reasons.map { camera, byKind in
            let sorted = byKind.values.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.kind.rawValue < $1.kind.rawValue }
            return Pick(cameraID: camera, score: sorted.reduce(0) { $0 + $1.weight }, reasons: sorted)
        }
        return Array(picks.sorted { $0.score != $1.score ? $0.score > $1.score : $0.cameraID.uuidString < $1.cameraID.uuidString }.prefix(max(0, limit)))
    }

    /// How many times more a camera moved in a window than it usually does in the same window of
    /// the day (`usual`: the active seconds of that window on earlier days), when that is
    /// unusual: at least `minimumSeconds` of motion and `threshold` times the usual mean (a
    /// camera that never moves at that hour counts a usual of 1 s). Nil when nothing unusual.
    public static func unusualMotion(recent: Int, usual: [Int], minimumSeconds: Int = 30, threshold: Double = 3) -> Double? {
        guard recent >= minimumSeconds, !usual.isEmpty else { return nil }
        let mean = max(1, Double(usual.reduce(0, +)) / Double(usual.count))
        let factor = Double(recent) / mean
        return factor >= threshold ? factor : nil
    }

    /// True on school days (Monday to Friday) while children arrive (07:30–09:10) or leave
    /// (12:00–17:00), Korean time.
    public static func isSchoolHours(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 9 * 3_600)!
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        guard let weekday = parts.weekday, (2...6).contains(weekday), let hour = parts.hour, let minute = parts.minute else { return false }
        let minutes = hour * 60 + minute
        return (450..<550).contains(minutes) || (720..<1_020).contains(minutes)
    }
}
