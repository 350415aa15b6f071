import CityWatchAnalytics
import CityWatchDomain
import Foundation

/// Counts the alarms one camera's rule events would put in the operators' queue, the way the
/// alarm bridge folds them: an event is an alarm, or joins its rule's storm alarm when
/// ``AlarmStormPolicy`` says so; a repeat merged into an event extends that event's alarm.
/// Each alarm covers the span from its first to its latest event; a scripted event counts as
/// covered when an alarm of its rule covers its time (give or take a tolerance), so folding
/// that hides an intrusion shows up as a miss.
///
/// Pure: fed what a ``CameraAnalyzer`` returns frame by frame (`citywatch-bench alarm-rate`
/// plays the demo's clips through one).
public struct AlarmRateTally: Sendable {
    /// One alarm in the queue: its rule and the span of the events it stands for.
    public struct QueuedAlarm: Sendable, Equatable {
        public var ruleID: UUID
        public var first: Double
        public var last: Double
        public var events: Int
        public var storm: Bool
    }

    /// nil: every event is an alarm of its own (no storms).
    private var storms: AlarmStormPolicy?
    public private(set) var alarms: [QueuedAlarm] = []
    /// Rule events raised (merged repeats not counted).
    public private(set) var events = 0
    private var alarmOfSerial: [Int: Int] = [:]
    private var stormOfRule: [UUID: Int] = [:]

    public init(storms: AlarmStormPolicy?) {
        self.storms = storms
    }

    /// Takes the events and merged repeats of one analysed frame.
    public mutating func add(events raised: [RuleEvent], merges: [RuleMerge]) {
        for event in raised {
            events += 1
            let key = event.ruleID.uuidString
            if var policy = storms {
                let decision = policy.decide(key: key, at: Date(timeIntervalSince1970: event.time))
                storms = policy
                if decision == .storm {
                    if let index = stormOfRule[event.ruleID], event.time - alarms[index].last < policy.window {
                        extend(index, to: event.time)
                    } else {
                        stormOfRule[event.ruleID] = alarms.count
                        alarms.append(QueuedAlarm(ruleID: event.ruleID, first: event.time, last: event.time, events: 1, storm: true))
                    }
                    alarmOfSerial[event.serial] = stormOfRule[event.ruleID]
                    continue
                }
            }
            alarmOfSerial[event.serial] = alarms.count
            alarms.append(QueuedAlarm(ruleID: event.ruleID, first: event.time, last: event.time, events: 1, storm: false))
        }
        for merge in merges {
            guard let index = alarmOfSerial[merge.eventSerial] else { continue }
            alarms[index].last = max(alarms[index].last, merge.time)
        }
    }

    /// How many of `expected` (times of rule `rule`'s scripted events) an alarm of the rule covers.
    public func covered(_ expected: [Double], rule: UUID, tolerance: Double) -> Int {
        let spans = alarms.filter { $0.ruleID == rule }
        return expected.filter { time in spans.contains { $0.first - tolerance <= time && time <= $0.last + tolerance } }.count
    }

    private mutating func extend(_ index: Int, to time: Double) {
        alarms[index].last = max(alarms[index].last, time)
        alarms[index].events += 1
    }
}
