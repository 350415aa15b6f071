import CityWatchDomain

/// What a ``RuleEngine`` remembers about one of its rules between frames: per-track state and,
/// for crowding, the state of the current crowd.
struct RuleMemory: Sendable {
    /// The validated rule.
    let rule: AnalyticsRule
    /// Per track id, for every kind but crowding.
    var tracks: [Int: RuleTrackMemory] = [:]
    /// True once the current crowd episode (more than `count` objects in a crowding rule's zone)
    /// has raised its event or been merged; false between episodes.
    var crowdReported = false
    /// Crowding's cool-down is per rule, not per track.
    var crowdCoolDown: RuleCoolDown?

    init(rule: AnalyticsRule) {
        self.rule = rule
    }
}

/// The last event of a rule on one track (or crowd), for the cool-down.
struct RuleCoolDown: Sendable {
    var time: Double
    var serial: Int
    var repeats = 0
}

/// One rule's memory of one track.
struct RuleTrackMemory: Sendable {
    /// The engine's frame counter when the track was last seen; older entries are forgotten.
    var stamp = 0
    var coolDown: RuleCoolDown?

    // Zone stays (intrusion, loitering).
    /// When the current stay in the zone began; nil while outside.
    var stayStart: Double?
    /// Last time the foot point was inside; a stay survives short excursions (tuning grace).
    var lastInside = 0.0
    var stayReported = false

    // Line crossing.
    /// The side the foot point settled on (-1 left, +1 right, 0 not yet known) and the last
    /// point seen clearly on it, in picture fractions.
    var settledSide = 0.0
    var anchor = ImagePoint(x: 0, y: 0)

    // Abandoned object.
    var stillReported = false

    // Fall.
    var lastUpright: Double?
    var lyingSince: Double?
    var fallReported = false

    /// Follows the foot point in or out of the zone; a stay ends only after `grace` seconds out.
    mutating func observeStay(inside: Bool, time: Double, grace: Double) {
        if inside {
            if stayStart == nil {
                stayStart = time
                stayReported = false
            }
            lastInside = time
        } else if stayStart != nil, time - lastInside > grace {
            stayStart = nil
            stayReported = false
        }
    }
}
