import CityWatchAnalytics
import CityWatchDomain

/// Hand-made tracks and zones for the rule engine tests, on a 320×180 analysis frame.
enum RuleFixtures {
    static let width = 320
    static let height = 180

    /// A confirmed track whose foot point (middle of the box bottom) is at pixel (`footX`, `footY`).
    static func track(_ id: Int, footX: Int, footY: Int, width: Int = 12, height: Int = 40, objectClass: ObjectClass = .person,
                      firstSeen: Double = 0, time: Double = 0, stillSeconds: Double = 0, confirmed: Bool = true) -> TrackedObject {
        TrackedObject(id: id, box: PixelBox(x: footX - width / 2, y: footY - height, width: width, height: height),
                      objectClass: objectClass, firstSeen: firstSeen, lastSeen: time, stillSeconds: stillSeconds,
                      isConfirmed: confirmed)
    }

    /// The rectangle from (`left`, `top`) to (`right`, `bottom`) in picture fractions.
    static func rectangle(_ left: Double, _ top: Double, _ right: Double, _ bottom: Double) -> ImagePolygon {
        ImagePolygon(points: [
            ImagePoint(x: left, y: top), ImagePoint(x: right, y: top),
            ImagePoint(x: right, y: bottom), ImagePoint(x: left, y: bottom),
        ])
    }

    /// The right half of the picture (foot x ≥ 160 px).
    static let rightHalf = rectangle(0.5, 0, 1, 1)

    /// An engine on the 320×180 frame.
    static func engine(_ rules: AnalyticsRule...) -> RuleEngine {
        RuleEngine(rules: rules, width: width, height: height)
    }
}

/// One frame of a scripted track sequence.
struct RuleFrame {
    var time: Double
    var tracks: [TrackedObject]
    var weekday = 3
    var minute = 12 * 60
}

extension RuleEngine {
    /// Feeds `frames` in order and returns every event raised, in order.
    mutating func run(_ frames: [RuleFrame]) -> [RuleEvent] {
        var events: [RuleEvent] = []
        for frame in frames {
            events += evaluate(tracks: frame.tracks, time: frame.time, weekday: frame.weekday, minute: frame.minute)
        }
        return events
    }

    /// Feeds `frames` and returns every merge reported along the way.
    mutating func runCollectingMerges(_ frames: [RuleFrame]) -> (events: [RuleEvent], merges: [RuleMerge]) {
        var events: [RuleEvent] = [], merged: [RuleMerge] = []
        for frame in frames {
            events += evaluate(tracks: frame.tracks, time: frame.time, weekday: frame.weekday, minute: frame.minute)
            merged += merges
        }
        return (events, merged)
    }
}
