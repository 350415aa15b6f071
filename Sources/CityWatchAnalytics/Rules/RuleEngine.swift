import CityWatchDomain
import Foundation

/// Decides, frame after frame, which of a camera's analytics rules the tracked objects break.
///
/// One per camera, fed the confirmed tracks of every analysed frame. A state machine with no
/// I/O: it remembers stays in zones, sides of lines, crowds, falls and cool-downs, and returns the
/// events to raise. Rules are drawn in picture fractions; tracks are in pixels of the
/// `width` × `height` analysis frame, and an object's *foot point* (middle of its box's bottom
/// edge) decides whether it is in a zone.
///
/// A rule's condition is followed all the time; its schedule only decides whether an event is
/// raised. So a level condition (someone in the zone, a crowd, a person on the ground) that
/// began before the rule was armed fires as soon as it is, while a line crossed outside the
/// armed hours is gone for good.
///
/// Budget: a few µs per rule and frame for tens of tracks; allocates only for the events it
/// returns and for the first sight of a track.
public struct RuleEngine: Sendable {
    /// A rule left out because it failed ``AnalyticsRule/validated()``.
    public struct RejectedRule: Sendable, Equatable {
        public var rule: AnalyticsRule
        public var problem: AnalyticsRule.Problem
    }

    /// The rules evaluated: the enabled ones that passed validation, in the order given.
    public var rules: [AnalyticsRule] { memories.map(\.rule) }
    /// The rules skipped as unusable, each with what is wrong with it.
    public private(set) var problems: [RejectedRule] = []
    /// Repeats within a cool-down merged during the last ``evaluate(tracks:time:weekday:minute:)``.
    public private(set) var merges: [RuleMerge] = []
    /// Analysis frame size in pixels.
    public let width: Int
    public let height: Int
    public let tuning: Tuning

    var memories: [RuleMemory] = []
    /// The time of the first evaluated frame: objects there by then are part of the scene.
    var startTime: Double?
    /// Frames evaluated; stamps the per-track memories so vanished tracks can be forgotten.
    var frame = 0
    var lastSerial = 0

    /// An engine for `rules` on a `width` × `height` analysis frame. Disabled rules are left
    /// out; invalid ones are left out and listed in ``problems``.
    public init(rules: [AnalyticsRule], width: Int, height: Int, tuning: Tuning = Tuning()) {
        self.width = max(1, width)
        self.height = max(1, height)
        self.tuning = tuning
        for rule in rules where rule.enabled {
            do {
                memories.append(RuleMemory(rule: try rule.validated()))
            } catch {
                problems.append(RejectedRule(rule: rule, problem: error))
            }
        }
        needsActivity = memories.contains { if case .fight = $0.rule.kind { true } else { false } }
    }

    /// Evaluates every rule on the tracks of one frame taken at `time` (seconds, analysis clock)
    /// and returns the events it raises. `weekday` (1 = Monday … 7 = Sunday) and `minute` (after
    /// midnight) are the camera's local time, for schedules. Only confirmed tracks count; state
    /// of tracks no longer reported is dropped.
    ///
    /// `activity`, when given, is the share of a box's pixels that changed since the previous
    /// frame (0…1): what the fight rule calls violent motion. Without it, no fight is raised.
    public mutating func evaluate(tracks: [TrackedObject], time: Double, weekday: Int, minute: Int,
                                  activity: ((PixelBox) -> Double)? = nil) -> [RuleEvent] {
        if startTime == nil { startTime = time }
        frame &+= 1
        merges.removeAll(keepingCapacity: true)
        var events: [RuleEvent] = []
        var confirmed = 0
        for track in tracks where track.isConfirmed { confirmed += 1 }
        for index in memories.indices {
            let rule = memories[index].rule
            let armed = rule.schedule?.isArmed(weekday: weekday, minute: minute) ?? true
            switch memories[index].evaluatedKind {
            case .intrusion(let zone), .loitering(let zone, _):
                evaluateStays(index, zone: zone, tracks: tracks, time: time, armed: armed, into: &events)
            case .lineCrossing(let line, let direction):
                evaluateLine(index, line: line, direction: direction, tracks: tracks, time: time, armed: armed, into: &events)
            case .crowding(let zone, let count):
                evaluateCrowd(index, zone: zone, count: count, tracks: tracks, time: time, armed: armed, into: &events)
            case .abandonedObject(let zone, let seconds):
                evaluateLeft(index, zone: zone, seconds: seconds, unattended: true, tracks: tracks, time: time, armed: armed, into: &events)
            case .objectLeft(let zone, let seconds):
                evaluateLeft(index, zone: zone, seconds: seconds, unattended: false, tracks: tracks, time: time, armed: armed, into: &events)
            case .fall(let zone, let seconds):
                evaluateFalls(index, zone: zone, seconds: seconds, tracks: tracks, time: time, armed: armed, into: &events)
            case .fight(let zone, let seconds):
                evaluateFight(index, zone: zone, seconds: seconds, tracks: tracks, time: time, armed: armed, activity: activity,
                              into: &events)
            }
            if memories[index].tracks.count > confirmed {
                let current = frame
                memories[index].tracks = memories[index].tracks.filter { $0.value.stamp == current }
            }
        }
        return events
    }

    // MARK: - Shared steps

    /// True when a rule needs the frame-to-frame activity (a fight rule); set once with the
    /// rules, as the analyzer asks every frame.
    public private(set) var needsActivity = false

    /// The foot point of `track` in picture fractions.
    func foot(of track: TrackedObject) -> ImagePoint {
        // The centre of the box's last pixel row on the picture: on it even when the box touches
        // its bottom edge (its lower edge is then y = 1, outside every zone by the boundary rule)
        // or reaches past an edge (a person lying cut by the bottom edge, a box the tracker
        // holds a little beyond it), so a zone drawn to the edge holds them.
        let x = min(max(track.footX, 0.5), Double(width) - 0.5), y = min(track.footY, Double(height)) - 0.5
        return ImagePoint(x: x / Double(width), y: y / Double(height))
    }

    /// True when `rule`'s class filter and minimum size let `track` count.
    func matches(_ rule: AnalyticsRule, _ track: TrackedObject) -> Bool {
        let heightFraction = Double(track.box.height) / Double(height)
        guard rule.applies(to: track.objectClass, heightFraction: heightFraction) else { return false }
        guard tuning.requiresClass, rule.classes.isEmpty else { return true }
        switch rule.kind {
        case .intrusion, .lineCrossing: return track.objectClass != .unknown || heightFraction >= tuning.motionFallbackHeight
        case .abandonedObject, .objectLeft: return track.objectClass != .person
        case .fall, .loitering, .crowding, .fight: return track.objectClass == .person
        }
    }

    /// The memory of rule `index` for `track`, stamped as seen in this frame.
    mutating func touch(_ index: Int, _ track: TrackedObject) -> RuleTrackMemory {
        var memory = memories[index].tracks[track.id] ?? RuleTrackMemory()
        memory.stamp = frame
        return memory
    }

    /// Raises an event of rule `index`, or merges it into the last one when `coolDown` says the
    /// rule fired less than its cool-down ago (listed in ``merges`` instead).
    mutating func raise(_ index: Int, coolDown: inout RuleCoolDown?, tracks involved: [TrackedObject], time: Double,
                        seconds: Double? = nil, count: Int? = nil, direction: CrossingDirection? = nil,
                        into events: inout [RuleEvent]) {
        let rule = memories[index].rule
        let ids = involved.map(\.id)
        if var last = coolDown, time - last.time < rule.coolDownSeconds {
            last.repeats += 1
            coolDown = last
            merges.append(RuleMerge(eventSerial: last.serial, ruleID: rule.id, trackIDs: ids, time: time, repeats: last.repeats))
            return
        }
        memories[index].recent.removeAll { time - $0.coolDown.time >= rule.coolDownSeconds }
        if tuning.mergesAcrossTracks, count == nil,
           let near = memories[index].recent.lastIndex(where: { $0.isNear(involved) }) {
            // The same object under another track id: a repeat of that event, and this track's
            // later repeats within the cool-down go to it as well.
            memories[index].recent[near].coolDown.repeats += 1
            let merged = memories[index].recent[near].coolDown
            coolDown = merged
            merges.append(RuleMerge(eventSerial: merged.serial, ruleID: rule.id, trackIDs: ids, time: time, repeats: merged.repeats))
            return
        }
        lastSerial += 1
        coolDown = RuleCoolDown(time: time, serial: lastSerial)
        if rule.coolDownSeconds > 0 {
            memories[index].recent.append(RecentRuleEvent(coolDown: coolDown!, feet: involved.map { ($0.footX, $0.footY) },
                                                          reach: Double(involved.map(\.box.height).max() ?? 0)))
            if memories[index].recent.count > 16 { memories[index].recent.removeFirst() }
        }
        events.append(RuleEvent(serial: lastSerial, ruleID: rule.id, ruleName: rule.name, kind: rule.kind.name, time: time,
                                trackIDs: ids, boxes: involved.map(\.box), seconds: seconds, count: count, direction: direction))
    }
}
