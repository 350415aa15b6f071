import Foundation

/// Something analytics saw that an operator should look at: a rule that fired on a camera.
public struct AnalyticsEvent: Codable, Sendable, Hashable, Identifiable {
    public var id: UUID
    public var cameraID: UUID
    /// The rule that fired (nil for events without a rule, such as tamper).
    public var ruleID: UUID?
    /// The rule's name when it fired.
    public var ruleName: String
    /// `intrusion`, `loitering`, `lineCrossing`, `crowding`, `objectLeft`, `abandonedObject`,
    /// `fall`, `fight`.
    public var kind: String
    /// When it happened (the frame that triggered it).
    public var at: Date
    /// When it last happened again within the rule's cool-down (merged into this event).
    public var lastAt: Date
    /// Repeats merged into it.
    public var repeats: Int
    /// Tracks involved, with their boxes at `at`.
    public var trackIDs: [Int]
    public var boxes: [ImageBox]
    /// Object classes of those tracks.
    public var classes: [ObjectClass]
    /// True when a snapshot JPEG was kept.
    public var hasSnapshot: Bool
    /// Who acknowledged it, when, and what they noted.
    public var acknowledgedBy: String?
    public var acknowledgedAt: Date?
    public var note: String?

    public init(id: UUID = UUID(), cameraID: UUID, ruleID: UUID?, ruleName: String, kind: String, at: Date,
                lastAt: Date? = nil, repeats: Int = 0, trackIDs: [Int], boxes: [ImageBox], classes: [ObjectClass],
                hasSnapshot: Bool = false, acknowledgedBy: String? = nil, acknowledgedAt: Date? = nil, note: String? = nil) {
        self.id = id
        self.cameraID = cameraID
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.kind = kind
        self.at = at
        self.lastAt = lastAt ?? at
        self.repeats = repeats
        self.trackIDs = trackIDs
        self.boxes = boxes
        self.classes = classes
        self.hasSnapshot = hasSnapshot
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.note = note
    }
}
