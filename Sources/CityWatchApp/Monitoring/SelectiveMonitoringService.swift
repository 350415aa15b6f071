import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation
import Synchronization

/// Gathers what selective monitoring weighs — open incidents, active alarms, recent
/// unacknowledged events, motion against the same time on the past week, school cameras at
/// school hours — over the cameras a user may see, and ranks them (``SelectiveMonitoring``).
public struct SelectiveMonitoringService: Sendable {
    /// How far back "recent" events and motion look.
    public static let window: TimeInterval = 600
    /// Earlier days the usual motion of a window is taken from.
    public static let usualDays = 7

    let database: any Database
    let usualMotion: UsualMotionCache

    /// `usualMotion`: the server's shared cache of the past week's motion (each console's wall
    /// asks every 15 s; the week is read once a minute).
    public init(database: any Database, usualMotion: UsualMotionCache = UsualMotionCache()) {
        self.database = database
        self.usualMotion = usualMotion
    }

    /// The `limit` cameras of `snapshot` within `scope` that need eyes at `now`.
    public func picks(snapshot: CameraDirectory.Snapshot, scope: CameraScope, now: Date, limit: Int) async throws -> [SelectiveMonitoring.Pick] {
        var signals: [SelectiveMonitoring.Signal] = []
        let visible = { (id: UUID) in scope.contains(id) && snapshot.cameraIndex[id] != nil }
        let incidents = IncidentRepository(database: database)
        for incident in try await incidents.incidents(closedSince: nil, limit: scope.rowsToRead(toShow: 200)) where incident.status != .closed {
            let reason = SelectiveMonitoring.Reason(kind: .incident, text: "사건 \(incident.number) \(incident.kind.koreanName)",
                                                    weight: SelectiveMonitoring.Weight.incident(grade: incident.grade))
            signals += incident.cameraIDs.filter(visible).map { .init(cameraID: $0, reason: reason) }
        }
        for alarm in try await incidents.alarms(includeFinished: false, limit: scope.rowsToRead(toShow: 500)) {
            let reason = SelectiveMonitoring.Reason(kind: .alarm, text: (alarm.drill ? "[훈련] " : "") + alarm.title,
                                                    weight: SelectiveMonitoring.Weight.alarm(alarm.priority, drill: alarm.drill))
            signals += alarm.cameraIDs.filter(visible).map { .init(cameraID: $0, reason: reason) }
        }
        let since = now.addingTimeInterval(-Self.window)
        for event in try await AnalyticsRepository(database: database).events(since: since, until: now, unacknowledgedOnly: true,
                                                                                     limit: scope.rowsToRead(toShow: 500))
        where visible(event.cameraID) {
            let minutes = max(0, Int(now.timeIntervalSince(event.at) / 60))
            signals.append(.init(cameraID: event.cameraID, reason: .init(kind: .event, text: "\(event.ruleName) \(minutes)분 전",
                                                                             weight: SelectiveMonitoring.Weight.event)))
        }
        let activity = MotionActivityRepository(database: database)
        let recent = try await activity.activeSeconds(from: since, to: now)
        if !recent.isEmpty {
            let minute = Int64((now.timeIntervalSince1970 / 60).rounded(.down))
            let days = try await usualMotion.days(minute: minute) {
                var days: [[UUID: Int]] = []
                for day in 1...Self.usualDays {
                    let shift = Double(day) * 86_400
                    let earlier = try await activity.activeSeconds(from: since.addingTimeInterval(-shift), to: now.addingTimeInterval(-shift))
                    // A day with no motion anywhere is a day the system did not analyse, not a quiet one.
                    if !earlier.isEmpty { days.append(earlier) }
                }
                return days
            }
            for (camera, seconds) in recent where visible(camera) {
                let usual = days.map { $0[camera] ?? 0 }
                guard let factor = SelectiveMonitoring.unusualMotion(recent: seconds, usual: usual) else { continue }
                signals.append(.init(cameraID: camera, reason: .init(kind: .unusualMotion, text: "움직임 평소의 \(Int(factor.rounded()))배",
                                                                     weight: SelectiveMonitoring.Weight.unusualMotion(factor: factor))))
            }
        }
        if SelectiveMonitoring.isSchoolHours(now) {
            for (index, camera) in snapshot.cameras.enumerated() where camera.enabled && visible(camera.id) {
                guard snapshot.siteOfCamera[index].record.purpose == .childProtection else { continue }
                signals.append(.init(cameraID: camera.id, reason: .init(kind: .schoolHours, text: "등하교 시간",
                                                                        weight: SelectiveMonitoring.Weight.schoolHours)))
            }
        }
        return SelectiveMonitoring.rank(signals, limit: limit)
    }
}

/// The past week's motion for the window ending at one minute, kept until the minute changes:
/// the same seven reads would otherwise run for every console's wall every 15 seconds. Walls
/// that ask at once while the minute is being read wait for that one read.
public final class UsualMotionCache: Sendable {
    private let current = Mutex<(minute: Int64, read: Task<[[UUID: Int]], any Error>)?>(nil)

    public init() {}

    /// Motion seconds per camera on each earlier day that had any, for the window ending at
    /// `minute` (minutes since 1970); `load` reads them when this minute is not cached or being
    /// read yet. A failed read is forgotten, so the next ask tries again.
    public func days(minute: Int64, load: @escaping @Sendable () async throws -> [[UUID: Int]]) async throws -> [[UUID: Int]] {
        let read = current.withLock { current in
            if let current, current.minute == minute { return current.read }
            let read = Task { try await load() }
            current = (minute, read)
            return read
        }
        do {
            return try await read.value
        } catch {
            current.withLock { if $0?.read == read { $0 = nil } }
            throw error
        }
    }
}
