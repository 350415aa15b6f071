import Foundation

/// Something that happened and is being handled: a crime, a child in danger, a fire, a flood.
/// Opened from an alarm (or by hand, or by a 112 report), it gathers the cameras and clips that
/// matter and a timeline of everything done, and puts a legal hold on the footage around it.
public struct Incident: Codable, Sendable, Hashable, Identifiable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case crime, childSafety, violence, missingPerson, fire, traffic, disaster, other

        public var koreanName: String {
            switch self {
            case .crime: "범죄"
            case .childSafety: "아동안전"
            case .violence: "폭력"
            case .missingPerson: "실종"
            case .fire: "화재"
            case .traffic: "교통"
            case .disaster: "재난"
            case .other: "기타"
            }
        }
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Being handled.
        case open
        /// Handed over (police or fire on site); still watched.
        case handedOver
        /// Finished.
        case closed
    }

    /// Urgency, as the platform grades it: 1 is the most urgent.
    public static let grades = 1...3

    public var id: UUID
    /// A short number for radio and paper ("2026-0042").
    public var number: String
    public var kind: Kind
    public var title: String
    public var status: Status
    public var grade: Int
    public var place: GeoPoint?
    public var address: String?
    /// When it happened.
    public var occurredAt: Date
    public var openedAt: Date
    public var openedBy: String
    public var closedAt: Date?
    /// The cameras linked to it, in the order operators should look at them.
    public var cameraIDs: [UUID]
    /// Clips marked as part of it.
    public var clips: [IncidentClip]
    /// True for an exercise: shown as such, kept out of statistics.
    public var drill: Bool
    /// Where it came from, when not opened by hand: "alarm", "112", "119".
    public var origin: String?
    /// The origin's own reference (the platform's evtId).
    public var originRef: String?

    public init(id: UUID = UUID(), number: String, kind: Kind, title: String, status: Status = .open, grade: Int = 2,
                place: GeoPoint? = nil, address: String? = nil, occurredAt: Date, openedAt: Date, openedBy: String,
                closedAt: Date? = nil, cameraIDs: [UUID] = [], clips: [IncidentClip] = [], drill: Bool = false,
                origin: String? = nil, originRef: String? = nil) {
        self.id = id
        self.number = number
        self.kind = kind
        self.title = title
        self.status = status
        self.grade = grade
        self.place = place
        self.address = address
        self.occurredAt = occurredAt
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.closedAt = closedAt
        self.cameraIDs = cameraIDs
        self.clips = clips
        self.drill = drill
        self.origin = origin
        self.originRef = originRef
    }
}

/// A stretch of one camera's footage that belongs to an incident.
public struct IncidentClip: Codable, Sendable, Hashable {
    public var cameraID: UUID
    public var from: Date
    public var to: Date
    public var label: String

    public init(cameraID: UUID, from: Date, to: Date, label: String) {
        self.cameraID = cameraID
        self.from = from
        self.to = to
        self.label = label
    }
}

/// One line of an incident's timeline: who did what, when.
public struct IncidentTimelineEntry: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        case opened, alarmLinked, note, camerasLinked, clipAdded, statusChanged, gradeChanged, holdPlaced, castNet, shared, closed, reopened, updated
    }

    public var at: Date
    public var by: String
    public var kind: Kind
    public var text: String

    public init(at: Date, by: String, kind: Kind, text: String) {
        self.at = at
        self.by = by
        self.kind = kind
        self.text = text
    }
}

/// How much footage an incident keeps from deletion around the time it happened.
public struct IncidentHoldPolicy: Sendable, Hashable {
    public var before: TimeInterval
    public var after: TimeInterval

    /// Half an hour before (the approach), an hour after (the escape).
    public static let standard = IncidentHoldPolicy(before: 1_800, after: 3_600)

    public init(before: TimeInterval, after: TimeInterval) {
        self.before = before
        self.after = after
    }

    /// The footage to keep for an incident that happened at `time`.
    public func window(around time: Date) -> (from: Date, to: Date) {
        (time.addingTimeInterval(-before), time.addingTimeInterval(after))
    }
}

/// Checks on what operators write into an incident.
public enum IncidentRules {
    /// Why a change was refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case field(String, String)
        case closed

        public var description: String {
            switch self {
            case let .field(name, problem): "field '\(name)': \(problem)"
            case .closed: "the incident is closed; reopen it first"
            }
        }
    }

    /// A title: 2–200 characters once trimmed.
    public static func title(_ raw: String) throws(Refusal) -> String {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...200).contains(title.count) else { throw .field("title", "must be 2–200 characters") }
        return title
    }

    /// A note: 1–2,000 characters once trimmed.
    public static func note(_ raw: String) throws(Refusal) -> String {
        let note = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2_000).contains(note.count) else { throw .field("note", "must be 1–2,000 characters") }
        return note
    }

    public static func grade(_ grade: Int) throws(Refusal) -> Int {
        guard Incident.grades.contains(grade) else { throw .field("grade", "\(grade) is not 1 (most urgent), 2 or 3") }
        return grade
    }

    /// A clip: starts before it ends, at most 24 hours long.
    public static func clip(_ clip: IncidentClip) throws(Refusal) -> IncidentClip {
        guard clip.from < clip.to else { throw .field("to", "the clip must end after it starts") }
        guard clip.to.timeIntervalSince(clip.from) <= 86_400 else { throw .field("to", "a clip may be at most 24 hours long") }
        let label = clip.label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard label.count <= 200 else { throw .field("label", "must be at most 200 characters") }
        return IncidentClip(cameraID: clip.cameraID, from: clip.from, to: clip.to, label: label)
    }

    /// The incident's number: the year of `openedAt` in Korea and its sequence in that year.
    public static func number(year: Int, sequence: Int) -> String {
        "\(year)-\(String(format: "%04d", sequence))"
    }

    /// The year in Korea (UTC+9) of `date`.
    public static func koreanYear(of date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 9 * 3_600)!
        return calendar.component(.year, from: date)
    }
}
