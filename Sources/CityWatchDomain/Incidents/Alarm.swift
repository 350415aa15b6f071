import Foundation

/// Something that asks for an operator's attention now: an analytics event, a pressed
/// emergency bell, a 112/119 report, a camera gone wrong, or an operator's own call. All of
/// them wait in one queue (``AlarmQueue``), highest priority first.
public struct Alarm: Codable, Sendable, Hashable, Identifiable {
    /// Where an alarm came from.
    public enum Source: String, Codable, Sendable, CaseIterable {
        /// An analytics rule fired (intrusion, loitering, …).
        case analytics
        /// A safety emergency bell was pressed.
        case bell
        /// A 112 (police) or 119 (fire) report through the integrated platform.
        case emergencyCall
        /// A camera was covered, defocused, moved or frozen.
        case cameraHealth
        /// An operator raised it by hand.
        case `operator`
        /// A storage tier cannot take footage (the archive unmounted or full): for maintenance.
        case storage
    }

    /// How urgent; the queue sorts on it.
    public enum Priority: String, Codable, Sendable, CaseIterable, Comparable {
        case critical, high, normal, low

        /// 0 is the most urgent.
        public var rank: Int {
            switch self {
            case .critical: 0
            case .high: 1
            case .normal: 2
            case .low: 3
            }
        }

        public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank > rhs.rank }
    }

    /// Where an alarm stands.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Nobody has answered it yet.
        case open
        /// An operator has seen it and looks into it.
        case acknowledged
        /// Looked at and judged to need nothing more (the note says why).
        case dismissed
        /// It opened an incident, or joined one (``Alarm/incidentID``).
        case escalated

        /// True while the alarm still waits for someone to finish with it.
        public var isActive: Bool { self == .open || self == .acknowledged }
    }

    public var id: UUID
    public var source: Source
    /// The source's own id: the analytics event, the bell's key (``BellRecord/key``), the platform's evtId.
    public var sourceRef: String?
    public var priority: Priority
    public var status: Status
    /// One line for the queue ("비상벨 · 역삼초등학교 정문").
    public var title: String
    public var detail: String?
    /// Where it happened, when known.
    public var place: GeoPoint?
    public var address: String?
    /// The cameras to look at, best first.
    public var cameraIDs: [UUID]
    /// When it happened (not when it was stored).
    public var raisedAt: Date
    /// True for a training press or exercise: shown as such, kept out of statistics.
    public var drill: Bool
    /// True when the consoles should put its cameras on the wall at once.
    public var toWall: Bool
    public var handledBy: String?
    public var handledAt: Date?
    /// What operators noted, oldest first.
    public var notes: [AlarmNote]
    public var incidentID: UUID?
    /// Set while an operator's escalation opens its incident (the alarm stays active meanwhile);
    /// a claim older than ``escalationClaimSeconds`` is one that never finished.
    public var escalatingSince: Date?
    /// Set on an alarm that stands for a storm of alarms of one camera and rule (how many, over
    /// what span); nil on every other alarm.
    public var storm: AlarmStorm?

    /// How long an unfinished escalation keeps others from escalating the alarm.
    public static let escalationClaimSeconds: TimeInterval = 120

    public init(id: UUID = UUID(), source: Source, sourceRef: String? = nil, priority: Priority, status: Status = .open,
                title: String, detail: String? = nil, place: GeoPoint? = nil, address: String? = nil, cameraIDs: [UUID] = [],
                raisedAt: Date, drill: Bool = false, toWall: Bool = false, handledBy: String? = nil, handledAt: Date? = nil,
                notes: [AlarmNote] = [], incidentID: UUID? = nil) {
        self.id = id
        self.source = source
        self.sourceRef = sourceRef
        self.priority = priority
        self.status = status
        self.title = title
        self.detail = detail
        self.place = place
        self.address = address
        self.cameraIDs = cameraIDs
        self.raisedAt = raisedAt
        self.drill = drill
        self.toWall = toWall
        self.handledBy = handledBy
        self.handledAt = handledAt
        self.notes = notes
        self.incidentID = incidentID
    }
}

/// A line an operator wrote on an alarm.
public struct AlarmNote: Codable, Sendable, Hashable {
    public var at: Date
    public var by: String
    public var text: String

    public init(at: Date, by: String, text: String) {
        self.at = at
        self.by = by
        self.text = text
    }
}

extension Alarm {
    /// The priority an analytics event of `kind` gets: people where they must not be come first.
    public static func priority(forAnalyticsKind kind: String) -> Priority {
        switch kind {
        case "intrusion", "fall", "fight": .high
        case "tamper": .normal
        case "loitering", "lineCrossing", "crowding", "abandonedObject": .normal
        case "objectLeft": .low
        default: .low
        }
    }
}
