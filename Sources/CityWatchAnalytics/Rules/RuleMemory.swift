import CityWatchDomain

/// What a ``RuleEngine`` remembers about one of its rules between frames: per-track state and,
/// for crowding, the state of the current crowd.
struct RuleMemory: Sendable {
    /// The validated rule.
    let rule: AnalyticsRule
    /// What is evaluated: the rule's kind with its zone reaching the picture edges it was drawn to.
    let evaluatedKind: AnalyticsRule.Kind
    /// Per track id, for every kind but crowding.
    var tracks: [Int: RuleTrackMemory] = [:]
    /// True once the current crowd episode (more than `count` objects in a crowding rule's zone)
    /// has raised its event or been merged; false between episodes.
    var crowdReported = false
    /// When the crowd was last over its count.
    var crowdLastSeen = -Double.infinity
    /// Crowding's cool-down is per rule, not per track.
    var crowdCoolDown: RuleCoolDown?
    /// Fight: since when violent motion between persons close together has gone on (nil: none
    /// now), when it was last seen, whether this episode has raised its event, and the
    /// rule-wide cool-down.
    var fightSince: Double?
    var fightLastSeen = 0.0
    var fightReported = false
    var fightCoolDown: RuleCoolDown?
    /// The rule's events still within their cool-down, newest last: a track that fires near
    /// where one of them was is taken for the same object under a new track id (it split, or
    /// was lost and found again) and merged as a repeat.
    var recent: [RecentRuleEvent] = []
    /// Fall, detector-led: where persons were lately and how tall upright, for the bodies of
    /// persons going down that are tracked anew.
    var persons: [FallenPersonTrace] = []
    /// Fall: the falls raised lately (foot point, reach, time), for a second track of the same
    /// fallen body (the person and the body tracked anew both lying) to add no second fall.
    var falls: [RecentFall] = []
    /// Intrusion and loitering: stays of tracks lost lately, for a track born where one was
    /// lost to carry on (the same person under a new track id).
    var lostStays: [LostStay] = []

    init(rule: AnalyticsRule) {
        self.rule = rule
        evaluatedKind = rule.kind.zoneReachingEdges
    }
}

/// A stay whose track was lost: where its foot point was last, how tall the object was, when,
/// and the stay itself.
struct LostStay: Sendable {
    var footX: Double
    var footY: Double
    var height: Double
    var time: Double
    var memory: RuleTrackMemory
}

/// A person seen by a fall rule: the box, the upright height, and when last upright.
struct FallenPersonTrace: Sendable {
    var box: PixelBox
    var uprightHeight: Double
    var time: Double
}

/// A fall raised: where the fallen object's foot point was, how near another must be to be the
/// same body (the larger of its box's sides), and when.
struct RecentFall: Sendable {
    var footX: Double
    var footY: Double
    var reach: Double
    var time: Double

    /// True when `track`'s foot point is within reach (this fall's or the track's own longer side:
    /// a body lying is wider than tall).
    func isNear(_ track: TrackedObject) -> Bool {
        track.footWithin(max(reach, Double(max(track.box.width, track.box.height))), ofX: footX, y: footY)
    }
}

extension TrackedObject {
    /// True when the foot point is within `reach` pixels of (`x`, `y`).
    func footWithin(_ reach: Double, ofX x: Double, y: Double) -> Bool {
        (footX - x) * (footX - x) + (footY - y) * (footY - y) <= reach * reach
    }
}

/// The last event of a rule on one track (or crowd), for the cool-down.
struct RuleCoolDown: Sendable {
    var time: Double
    var serial: Int
    var repeats = 0
}

/// Where and when a rule last fired, for merging repeats across track ids.
struct RecentRuleEvent: Sendable {
    var coolDown: RuleCoolDown
    /// Foot points of the objects involved, in analysis-frame pixels.
    var feet: [(x: Double, y: Double)]
    /// How near a foot point must come to count as the same object: the larger of the
    /// objects' heights (an object's own size is the scale it moves and splits at).
    var reach: Double

    /// True when one of `tracks` stands within reach of where this event's objects stood.
    func isNear(_ tracks: [TrackedObject]) -> Bool {
        tracks.contains { track in
            let reach = max(self.reach, Double(track.box.height))
            return feet.contains { track.footWithin(reach, ofX: $0.x, y: $0.y) }
        }
    }
}

/// One rule's memory of one track.
struct RuleTrackMemory: Sendable {
    /// The engine's frame counter when the track was last seen; older entries are forgotten.
    var stamp = 0
    var coolDown: RuleCoolDown?

    // Zone stays (intrusion, loitering).
    /// The track as last seen by a stay rule: foot point (pixels), box height and time.
    var lastFootX = 0.0
    var lastFootY = 0.0
    var lastHeight = 0.0
    /// True when the track's box was last at the picture's edge (``RuleEngine/isAtEdge(_:)``):
    /// a track lost there has left the picture, and its stay is handed to nobody.
    var lastAtEdge = false
    var lastTime = 0.0
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
    /// When the foot point was at ``anchor``.
    var anchorTime = 0.0
    /// The track as last observed (not coasting), for a crossing made while leaving the picture.
    var lastObserved: TrackedObject?

    // Object left, abandoned object.
    var stillReported = false
    /// Whether the person who brought the object has been looked for (at the track's first
    /// sight), and who it was: their track id (nil: nobody was near).
    var ownerLooked = false
    var owner: Int?
    /// Since when the still object has been unattended (nil: attended, or moving).
    var unattendedSince: Double?

    // Fall.
    var lastUpright: Double?
    /// Box height (pixels) when last upright: a person down is far lower than that.
    var uprightHeight = 0.0
    /// Detector-led: the upright height of the person this unnamed track is the body of.
    var bodyOf: Double?
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
