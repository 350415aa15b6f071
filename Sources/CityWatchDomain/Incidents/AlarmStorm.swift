import Foundation

/// One alarm standing for a storm: many alarms of one camera and rule in a short time (a
/// tripwire on a busy street, a flapping camera), shown once with how many and over what span
/// instead of burying the queue.
public struct AlarmStorm: Codable, Sendable, Hashable {
    /// The camera and rule (or camera and tamper) the storm is of; see ``AlarmStormPolicy``.
    public var key: String
    /// Alarms the storm alarm stands for.
    public var count: Int
    /// When the first and the latest of them happened.
    public var firstAt: Date
    public var lastAt: Date

    public init(key: String, count: Int = 1, firstAt: Date, lastAt: Date? = nil) {
        self.key = key
        self.count = count
        self.firstAt = firstAt
        self.lastAt = lastAt ?? firstAt
    }

    /// The storm with one more alarm at `at`.
    public func adding(at: Date) -> AlarmStorm {
        AlarmStorm(key: key, count: count + 1, firstAt: min(firstAt, at), lastAt: max(lastAt, at))
    }

    /// The storm alarm's reference (``Alarm/sourceRef``) for storms of `key`.
    public static func reference(_ key: String) -> String { "storm:" + key }
}

/// Decides whether an alarm of one camera and rule is raised on its own or becomes part of a
/// storm alarm: up to ``threshold`` alarms of the same key within ``window`` are raised one by
/// one; more than that, and each further one joins the storm alarm (one alarm whose count and
/// span keep updating) until the key has been quieter than that for a window.
///
/// Defaults: more than 5 alarms from one camera and rule within 10 minutes make a storm.
/// A pure state machine; the alarm bridge keeps one and carries its decisions out.
public struct AlarmStormPolicy: Sendable {
    /// What to do with an alarm.
    public enum Decision: Sendable, Equatable {
        /// Raise it as its own alarm.
        case raise
        /// Count it in the key's storm alarm (made now if there is none active).
        case storm
    }

    /// Alarms of one key within ``window`` that are still raised one by one.
    public let threshold: Int
    /// The span the threshold is counted over.
    public let window: TimeInterval
    /// Per key, the times of its latest alarms (at most ``threshold``).
    private var recent: [String: [Date]] = [:]
    private var decisions = 0

    public init(threshold: Int = 5, window: TimeInterval = 600) {
        self.threshold = max(1, threshold)
        self.window = max(1, window)
    }

    /// The decision for an alarm of `key` that happened at `at`.
    public mutating func decide(key: String, at: Date) -> Decision {
        decisions += 1
        if decisions % 1_000 == 0 { forgetQuiet(before: at) }
        var times = recent[key, default: []]
        // A storm while the last `threshold` alarms of the key all fall within the window.
        let storming = times.count >= threshold && at.timeIntervalSince(times[times.count - threshold]) < window
        times.append(at)
        if times.count > threshold { times.removeFirst(times.count - threshold) }
        recent[key] = times
        return storming ? .storm : .raise
    }

    /// The key of analytics rule `rule` (its id, or its kind when it has none) on `camera`.
    public static func key(camera: UUID, rule: String) -> String { "\(camera.uuidString):\(rule)" }

    /// The key of camera `camera`'s tamper alarms.
    public static func tamperKey(camera: UUID) -> String { "\(camera.uuidString):tamper" }

    private mutating func forgetQuiet(before now: Date) {
        recent = recent.filter { now.timeIntervalSince($0.value.last ?? .distantPast) < window }
    }
}
