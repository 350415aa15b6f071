import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

extension IncidentService {
    /// Counts `alarm` into the storm alarm of `key` (see ``AlarmStormPolicy``): the one still
    /// active whose latest alarm is less than `window` old gets one more and a longer span;
    /// without one, a storm alarm is raised from `alarm` (audit-logged like any raise, so a
    /// storm costs the audit log one line, not one per alarm). Returns the storm alarm and
    /// whether it is new.
    @discardableResult
    public func raiseStorm(_ alarm: Alarm, key: String, window: TimeInterval) async throws -> (alarm: Alarm, raised: Bool) {
        let reference = AlarmStorm.reference(key)
        let result = try await database.lockedTransaction(Self.alarmLock) { tx -> (Alarm, Bool) in
            let alarms = IncidentRepository(database: tx)
            if var storm = try await alarms.alarm(source: alarm.source, ref: reference), storm.status.isActive,
               let current = storm.storm, alarm.raisedAt.timeIntervalSince(current.lastAt) < window {
                let grown = current.adding(at: alarm.raisedAt)
                storm.storm = grown
                storm.detail = Self.stormDetail(grown, latest: alarm.detail)
                storm.priority = max(storm.priority, alarm.priority)
                try await alarms.save(storm)
                return (storm, false)
            }
            var storm = alarm
            storm.id = UUID()
            storm.sourceRef = reference
            storm.storm = AlarmStorm(key: key, firstAt: alarm.raisedAt)
            storm.title = "폭주 Storm · " + alarm.title
            storm.detail = Self.stormDetail(storm.storm!, latest: alarm.detail)
            try await alarms.save(storm)
            try await AuditLog(database: tx, clock: clock).append(AuditEvent(actor: "system", action: "alarm.raise", target: storm.id.uuidString, details: [
                "source": .string(storm.source.rawValue), "priority": .string(storm.priority.rawValue), "title": .string(storm.title),
                "cameras": .int(Int64(storm.cameraIDs.count)), "drill": .bool(storm.drill), "storm": .bool(true),
            ]))
            return (storm, true)
        }
        center.publish(result.1 ? .alarmRaised(result.0) : .alarmUpdated(result.0))
        return (alarm: result.0, raised: result.1)
    }

    /// "N alarms, HH:MM:SS–HH:MM:SS KST · latest: …" for a storm alarm's detail.
    static func stormDetail(_ storm: AlarmStorm, latest: String?) -> String {
        let times = "\(ControlRoomTime.clock(storm.firstAt))–\(ControlRoomTime.clock(storm.lastAt)) KST"
        return "\(storm.count)건 alarms, \(times)" + (latest.map { " · " + $0 } ?? "")
    }
}
