import CityWatchDomain
import Foundation

/// A rule that fired: which rule, when, on which tracked objects and where they were. The
/// pipeline turns it into an event row, an alarm on the operator's console and a clip bookmark.
public struct RuleEvent: Sendable, Hashable {
    /// Numbers the events of one ``RuleEngine`` from 1 upwards; a ``RuleMerge`` names the event
    /// it was merged into by this number.
    public var serial: Int
    /// The rule's id, name and kind name (``AnalyticsRule/Kind/name``).
    public var ruleID: UUID
    public var ruleName: String
    public var kind: String
    /// Seconds on the analysis clock of the frame that fired it.
    public var time: Double
    /// The tracks involved: one for most kinds, everyone in the zone for crowding.
    public var trackIDs: [Int]
    /// Their boxes in that frame, in the order of `trackIDs` (analysis-frame pixels).
    public var boxes: [PixelBox]
    /// How long the condition had held: dwell for loitering, stillness for an abandoned object,
    /// time on the ground for a fall; nil for the other kinds.
    public var seconds: Double?
    /// Objects in the zone, for crowding; nil otherwise.
    public var count: Int?
    /// The way the line was crossed, for line crossing; nil otherwise.
    public var direction: CrossingDirection?

    public init(serial: Int, ruleID: UUID, ruleName: String, kind: String, time: Double, trackIDs: [Int],
                boxes: [PixelBox], seconds: Double? = nil, count: Int? = nil, direction: CrossingDirection? = nil) {
        self.serial = serial
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.kind = kind
        self.time = time
        self.trackIDs = trackIDs
        self.boxes = boxes
        self.seconds = seconds
        self.count = count
        self.direction = direction
    }
}

/// A repeat of a rule within its cool-down, folded into the event it repeats instead of raising
/// a new alarm: the pipeline bumps that event's repeat count rather than paging the operator again.
public struct RuleMerge: Sendable, Hashable {
    /// ``RuleEvent/serial`` of the event the repeat belongs to.
    public var eventSerial: Int
    public var ruleID: UUID
    /// The tracks of the repeat (for crowding, possibly other people than the first time).
    public var trackIDs: [Int]
    /// Seconds on the analysis clock of the repeat.
    public var time: Double
    /// Repeats merged into that event so far, this one included.
    public var repeats: Int

    public init(eventSerial: Int, ruleID: UUID, trackIDs: [Int], time: Double, repeats: Int) {
        self.eventSerial = eventSerial
        self.ruleID = ruleID
        self.trackIDs = trackIDs
        self.time = time
        self.repeats = repeats
    }
}
