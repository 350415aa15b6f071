import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// Alarms and incidents: raising alarms into the queue, what operators do with them, opening
/// and running incidents — each change stored, written to the incident's timeline and the audit
/// log, and pushed to every console through the ``AlarmCenter``.
public struct IncidentService: Sendable {
    /// Why something was refused; the API answers 404 for `notFound`, 409 for `conflict`, 400
    /// for `invalid`.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notFound(String)
        case conflict(String)
        case invalid(String)

        public var description: String {
            switch self {
            case .notFound(let text), .conflict(let text), .invalid(let text): text
            }
        }
    }

    /// What an incident is opened with.
    public struct Draft: Sendable {
        public var kind: Incident.Kind
        public var title: String
        public var grade: Int
        public var place: GeoPoint?
        public var address: String?
        public var occurredAt: Date
        public var cameraIDs: [UUID]
        public var drill: Bool
        public var origin: String?
        public var originRef: String?

        public init(kind: Incident.Kind, title: String, grade: Int = 2, place: GeoPoint? = nil, address: String? = nil, occurredAt: Date,
                    cameraIDs: [UUID] = [], drill: Bool = false, origin: String? = nil, originRef: String? = nil) {
            self.kind = kind
            self.title = title
            self.grade = grade
            self.place = place
            self.address = address
            self.occurredAt = occurredAt
            self.cameraIDs = cameraIDs
            self.drill = drill
            self.origin = origin
            self.originRef = originRef
        }
    }

    let database: any Database
    let center: AlarmCenter
    let clock: @Sendable () -> Date
    let holdPolicy: IncidentHoldPolicy

    public init(database: any Database, center: AlarmCenter, clock: @escaping @Sendable () -> Date = { Date() },
                holdPolicy: IncidentHoldPolicy = .standard) {
        self.database = database
        self.center = center
        self.clock = clock
        self.holdPolicy = holdPolicy
    }

    var repository: IncidentRepository { IncidentRepository(database: database) }
    var audit: AuditLog { AuditLog(database: database, clock: clock) }

    // MARK: Alarms

    /// Puts `alarm` in the queue and tells every console (and, when it asks for it, their walls,
    /// unless `wallAnnounced`: a bell press shows its cameras before it is stored).
    @discardableResult
    public func raise(_ alarm: Alarm, by actor: String = "system", wallAnnounced: Bool = false) async throws -> Alarm {
        try await repository.save(alarm)
        try await audit.append(AuditEvent(actor: actor, action: "alarm.raise", target: alarm.id.uuidString, details: [
            "source": .string(alarm.source.rawValue), "priority": .string(alarm.priority.rawValue), "title": .string(alarm.title),
            "cameras": .int(Int64(alarm.cameraIDs.count)), "drill": .bool(alarm.drill),
        ]))
        center.publish(.alarmRaised(alarm))
        if !wallAnnounced { Self.announceWall(of: alarm, to: center) }
        return alarm
    }

    /// Puts `alarm`'s cameras on every console's wall when it asks for it.
    static func announceWall(of alarm: Alarm, to center: AlarmCenter) {
        if alarm.toWall, !alarm.cameraIDs.isEmpty {
            center.publish(.wall(.init(cameraIDs: alarm.cameraIDs, reason: alarm.title, alarmID: alarm.id, drill: alarm.drill)))
        }
    }

    /// Acknowledges, annotates, dismisses or reopens alarm `id` (escalating is ``escalate(alarm:into:draft:by:note:)``).
    public func act(_ action: AlarmQueue.Action, alarm id: UUID, by actor: String, note: String?) async throws -> Alarm {
        try await act(action, alarms: [id], by: actor, note: note)[0].outcome.get()
    }

    /// What became of one alarm of a bulk action.
    public struct Outcome: Sendable {
        public var id: UUID
        public var outcome: Result<Alarm, Problem>
    }

    /// Does `action` to every alarm of `ids` (duplicates once each) that `visible` lets the
    /// actor see, each done or refused on its own: one read of all, one transaction for the
    /// changes and their audit entries. Outcomes in the order of `ids`; an alarm that does not
    /// exist or is not visible is "not found" alike.
    public func act(_ action: AlarmQueue.Action, alarms ids: [UUID], by actor: String, note: String?,
                    visible: @escaping @Sendable (Alarm) -> Bool = { _ in true }) async throws -> [Outcome] {
        guard action != .escalate else { throw Problem.invalid("escalate an alarm through its incident (escalate(alarm:into:…))") }
        var seen = Set<UUID>()
        let unique = ids.filter { seen.insert($0).inserted }
        let now = clock()
        let (changed, refused) = try await database.lockedTransaction(Self.alarmLock) { tx in
            var refused: [UUID: Problem] = [:]
            let changed = try await IncidentRepository(database: tx).modifyAlarms(unique) { alarm in
                guard visible(alarm) else { return nil }
                do throws(Problem) { return try Self.applied(action, to: alarm, by: actor, note: note, at: now) } catch {
                    refused[alarm.id] = error
                    return nil
                }
            }
            try await AuditLog(database: tx, clock: clock).append(contentsOf: unique.filter { changed[$0] != nil }.map { id in
                AuditEvent(actor: actor, action: "alarm.\(action.rawValue)", target: id.uuidString, details: ["note": .string(note ?? "")])
            })
            return (changed, refused)
        }
        return unique.map { id in
            if let alarm = changed[id] {
                center.publish(.alarmUpdated(alarm))
                return Outcome(id: id, outcome: .success(alarm))
            }
            return Outcome(id: id, outcome: .failure(refused[id] ?? .notFound("no alarm \(id)")))
        }
    }

    /// The lock every change of an alarm takes (they are rare, human actions).
    static let alarmLock = "citywatch.alarms"

    /// `AlarmQueue.apply`, its refusal as the API tells it: a bad note is the caller's to fix
    /// (400), the rest is the alarm's state (409).
    static func applied(_ action: AlarmQueue.Action, to alarm: Alarm, by actor: String, note: String?, at now: Date,
                        incidentID: UUID? = nil) throws(Problem) -> Alarm {
        do throws(AlarmQueue.Refusal) {
            return try AlarmQueue.apply(action, to: alarm, by: actor, note: note, at: now, incidentID: incidentID)
        } catch {
            throw error == .noteTooLong(AlarmQueue.noteLimit) || error == .noteRequired(action)
                ? .invalid(error.description) : .conflict(error.description)
        }
    }

    /// Reads alarm `id`, lets `change` alter it (or refuse by throwing) and stores it, under the
    /// alarms' lock; returns it as stored.
    private func changeAlarm(_ id: UUID, _ change: @escaping @Sendable (inout Alarm) throws -> Void) async throws -> Alarm {
        try await database.lockedTransaction(Self.alarmLock) { tx in
            let alarms = IncidentRepository(database: tx)
            guard var alarm = try await alarms.alarm(id) else { throw Problem.notFound("no alarm \(id)") }
            let before = alarm
            try change(&alarm)
            if alarm != before { try await alarms.save(alarm) }
            return alarm
        }
    }

    /// Escalates alarm `id` into incident `incidentID`, or into a new incident made from
    /// `draft` (defaults from the alarm: its place, time, cameras, drill flag). The alarm is
    /// claimed first: of two operators escalating it at once, one opens the incident, the other
    /// is told it is already escalated; a bad note opens nothing.
    public func escalate(alarm id: UUID, into incidentID: UUID?, draft: Draft?, by actor: String, note: String?) async throws -> (Alarm, Incident) {
        guard let alarm = try await repository.alarm(id) else { throw Problem.notFound("no alarm \(id)") }
        _ = try Self.applied(.escalate, to: alarm, by: actor, note: note, at: clock(), incidentID: UUID())
        // Claim the alarm, which stays active in the queue: a second escalation meanwhile is told
        // so; a claim that never finished (the server stopped) lapses after two minutes.
        let claimedAt = clock()
        _ = try await changeAlarm(id) { current in
            guard current.status.isActive else { throw Problem.conflict("the alarm is already \(current.status.rawValue)") }
            if let since = current.escalatingSince, claimedAt.timeIntervalSince(since) < Alarm.escalationClaimSeconds {
                throw Problem.conflict("the alarm is being escalated by another operator")
            }
            current.escalatingSince = claimedAt
        }
        var incident: Incident
        do {
            if let incidentID {
                guard let existing = try await repository.incident(incidentID) else { throw Problem.notFound("no incident \(incidentID)") }
                guard existing.status != .closed else { throw Problem.conflict("incident \(existing.number) is closed; reopen it first") }
                incident = try await linkCameras(alarm.cameraIDs, to: existing.id, by: actor, quietly: true)
            } else {
                let draft = draft ?? Draft(kind: alarm.source == .bell ? .childSafety : .crime, title: alarm.title, grade: alarm.priority == .critical ? 1 : 2,
                                           place: alarm.place, address: alarm.address, occurredAt: alarm.raisedAt, cameraIDs: alarm.cameraIDs,
                                           drill: alarm.drill, origin: "alarm", originRef: alarm.id.uuidString)
                incident = try await open(draft, by: actor)
            }
        } catch {
            // Nothing was opened: the claim goes (else it lapses by itself). Stored to the
            // millisecond: this claim, not a later one.
            _ = try? await changeAlarm(id) { current in
                if let since = current.escalatingSince, abs(since.timeIntervalSince(claimedAt)) < 0.002 { current.escalatingSince = nil }
            }
            throw error
        }
        let linked = incident
        let escalatedAt = clock()
        let next = try await changeAlarm(id) { current in
            // The incident is open: the alarm joins it as it is now (notes written meanwhile kept,
            // a dismissal meanwhile overruled by the escalation).
            current.escalatingSince = nil
            if !current.status.isActive { current.status = alarm.status }
            current = try Self.applied(.escalate, to: current, by: actor, note: note, at: escalatedAt, incidentID: linked.id)
        }
        try await repository.append(IncidentTimelineEntry(at: clock(), by: actor, kind: .alarmLinked,
                                                          text: "\(alarm.source.rawValue): \(alarm.title)"), to: incident.id)
        try await audit.append(AuditEvent(actor: actor, action: "alarm.escalate", target: id.uuidString,
                                          details: ["incident": .string(incident.id.uuidString), "number": .string(incident.number)]))
        center.publish(.alarmUpdated(next))
        incident = try await repository.incident(incident.id) ?? incident
        return (next, incident)
    }

    // MARK: Incidents

    /// Opens an incident: stored under the next number, its cameras' footage around the time
    /// held from deletion, announced to every console.
    public func open(_ draft: Draft, by actor: String) async throws -> Incident {
        let title: String
        let grade: Int
        do {
            title = try IncidentRules.title(draft.title)
            grade = try IncidentRules.grade(draft.grade)
        } catch { throw Problem.invalid(error.description) }
        let now = clock()
        var cameras: [UUID] = []
        for id in draft.cameraIDs where !cameras.contains(id) { cameras.append(id) }
        var incident = Incident(number: "", kind: draft.kind, title: title, grade: grade, place: draft.place, address: draft.address,
                                occurredAt: draft.occurredAt, openedAt: now, openedBy: actor, cameraIDs: cameras, drill: draft.drill,
                                origin: draft.origin, originRef: draft.originRef)
        incident = try await repository.create(incident)
        try await repository.append(IncidentTimelineEntry(at: now, by: actor, kind: .opened,
                                                          text: "\(incident.kind.koreanName) · \(title)" + (draft.drill ? " (훈련 drill)" : "")),
                                    to: incident.id)
        try await hold(cameras, for: incident, by: actor)
        try await audit.append(AuditEvent(actor: actor, action: "incident.open", target: incident.id.uuidString, details: [
            "number": .string(incident.number), "kind": .string(incident.kind.rawValue), "cameras": .int(Int64(cameras.count)),
            "drill": .bool(incident.drill),
        ]))
        center.publish(.incidentOpened(incident))
        return incident
    }

    /// The incident and its timeline.
    public func incident(_ id: UUID) async throws -> (Incident, [IncidentTimelineEntry]) {
        guard let incident = try await repository.incident(id) else { throw Problem.notFound("no incident \(id)") }
        return (incident, try await repository.timeline(of: id))
    }

    /// Writes a note into the incident's timeline.
    public func addNote(_ text: String, to id: UUID, by actor: String) async throws -> Incident {
        let note: String
        do { note = try IncidentRules.note(text) } catch { throw Problem.invalid(error.description) }
        let incident = try await openIncident(id)
        try await repository.append(IncidentTimelineEntry(at: clock(), by: actor, kind: .note, text: note), to: id)
        try await audit.append(AuditEvent(actor: actor, action: "incident.note", target: id.uuidString))
        center.publish(.incidentUpdated(incident))
        return incident
    }

    /// Links more cameras (new ones go last, in the order given) and holds their footage.
    public func linkCameras(_ ids: [UUID], to id: UUID, by actor: String, reason: String? = nil, quietly: Bool = false) async throws -> Incident {
        let (incident, added) = try await changeOpenIncident(id) { incident -> [UUID] in
            let added = ids.reduce(into: [UUID]()) { added, camera in
                if !incident.cameraIDs.contains(camera), !added.contains(camera) { added.append(camera) }
            }
            incident.cameraIDs += added
            return added
        }
        guard !added.isEmpty else { return incident }
        try await repository.append(IncidentTimelineEntry(at: clock(), by: actor, kind: .camerasLinked,
                                                          text: "\(added.count) camera(s) linked" + (reason.map { ": \($0)" } ?? "")), to: id)
        try await hold(added, for: incident, by: actor)
        try await audit.append(AuditEvent(actor: actor, action: "incident.cameras", target: id.uuidString,
                                          details: ["added": .list(added.map { .string($0.uuidString) })]))
        if !quietly { center.publish(.incidentUpdated(incident)) }
        return incident
    }

    /// Marks a clip as part of the incident and holds it.
    public func addClip(_ asked: IncidentClip, to id: UUID, by actor: String) async throws -> Incident {
        let clip: IncidentClip
        do { clip = try IncidentRules.clip(asked) } catch { throw Problem.invalid(error.description) }
        let (incident, _) = try await changeOpenIncident(id) { incident in incident.clips.append(clip) }
        _ = try await RecordingRepository(database: database).addHold(camera: clip.cameraID, from: clip.from, to: clip.to,
                                                                      reason: holdReason(incident), by: actor, now: clock())
        let formatter = ISO8601DateFormatter()
        try await repository.append(IncidentTimelineEntry(at: clock(), by: actor, kind: .clipAdded,
                                                          text: "\(clip.label.isEmpty ? "clip" : clip.label): \(formatter.string(from: clip.from)) – \(formatter.string(from: clip.to))"),
                                    to: id)
        try await audit.append(AuditEvent(actor: actor, action: "incident.clip", target: id.uuidString, details: [
            "camera": .string(clip.cameraID.uuidString), "from": .string(formatter.string(from: clip.from)), "to": .string(formatter.string(from: clip.to)),
        ]))
        center.publish(.incidentUpdated(incident))
        return incident
    }

    /// Changes status and/or grade; closing and reopening are status changes too.
    public func update(_ id: UUID, status: Incident.Status?, grade: Int?, note: String?, by actor: String) async throws -> Incident {
        let now = clock()
        let (incident, entries) = try await database.lockedTransaction(Self.incidentLock(id)) { tx in
            let repository = IncidentRepository(database: tx)
            guard var incident = try await repository.incident(id) else { throw Problem.notFound("no incident \(id)") }
            let entries = try Self.changes(to: &incident, status: status, grade: grade, note: note, by: actor, at: now)
            if !entries.isEmpty { try await repository.update(incident) }
            return (incident, entries)
        }
        guard !entries.isEmpty else { return incident }
        for entry in entries { try await repository.append(entry, to: id) }
        try await audit.append(AuditEvent(actor: actor, action: "incident.update", target: id.uuidString, details: [
            "status": .string(incident.status.rawValue), "grade": .int(Int64(incident.grade)),
        ]))
        center.publish(.incidentUpdated(incident))
        return incident
    }

    /// Applies a status, grade and note change to `incident`; returns the timeline entries it makes.
    private static func changes(to incident: inout Incident, status: Incident.Status?, grade: Int?, note: String?, by actor: String,
                                at now: Date) throws -> [IncidentTimelineEntry] {
        var entries: [IncidentTimelineEntry] = []
        if let grade, grade != incident.grade {
            do { incident.grade = try IncidentRules.grade(grade) } catch { throw Problem.invalid(error.description) }
            entries.append(IncidentTimelineEntry(at: now, by: actor, kind: .gradeChanged, text: "grade \(grade)"))
        }
        if let status, status != incident.status {
            let kind: IncidentTimelineEntry.Kind = status == .closed ? .closed : incident.status == .closed ? .reopened : .statusChanged
            incident.status = status
            incident.closedAt = status == .closed ? now : nil
            entries.append(IncidentTimelineEntry(at: now, by: actor, kind: kind, text: status.rawValue))
        } else if incident.status == .closed, grade != nil {
            throw Problem.conflict("incident \(incident.number) is closed; reopen it first")
        }
        if let note, !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do { entries.append(IncidentTimelineEntry(at: now, by: actor, kind: .note, text: try IncidentRules.note(note))) } catch {
                throw Problem.invalid(error.description)
            }
        }
        return entries
    }

    /// Records something done for the incident elsewhere (a cast-net, a share) in its timeline.
    public func record(_ kind: IncidentTimelineEntry.Kind, _ text: String, on id: UUID, by actor: String) async throws {
        try await repository.append(IncidentTimelineEntry(at: clock(), by: actor, kind: kind, text: text), to: id)
    }

    /// The lock of one incident's record.
    static func incidentLock(_ id: UUID) -> String { "citywatch.incident.\(id.uuidString)" }

    /// Reads open incident `id`, lets `change` alter it and writes it back, with no other change
    /// to it in between (on any node); returns the incident as written and what `change` said.
    private func changeOpenIncident<T: Sendable>(_ id: UUID, _ change: @escaping @Sendable (inout Incident) -> T) async throws -> (Incident, T) {
        try await database.lockedTransaction(Self.incidentLock(id)) { tx in
            let repository = IncidentRepository(database: tx)
            guard var incident = try await repository.incident(id) else { throw Problem.notFound("no incident \(id)") }
            guard incident.status != .closed else { throw Problem.conflict("incident \(incident.number) is closed; reopen it first") }
            let before = incident
            let said = change(&incident)
            if incident != before { try await repository.update(incident) }
            return (incident, said)
        }
    }

    private func openIncident(_ id: UUID) async throws -> Incident {
        guard let incident = try await repository.incident(id) else { throw Problem.notFound("no incident \(id)") }
        guard incident.status != .closed else { throw Problem.conflict("incident \(incident.number) is closed; reopen it first") }
        return incident
    }

    private func holdReason(_ incident: Incident) -> String {
        "사건 \(incident.number) incident: \(incident.title)"
    }

    /// Legal holds on `cameras` around the incident's time.
    private func hold(_ cameras: [UUID], for incident: Incident, by actor: String) async throws {
        guard !cameras.isEmpty else { return }
        let window = holdPolicy.window(around: incident.occurredAt)
        let recordings = RecordingRepository(database: database)
        for camera in cameras {
            _ = try await recordings.addHold(camera: camera, from: window.from, to: window.to, reason: holdReason(incident), by: actor, now: clock())
        }
        let formatter = ISO8601DateFormatter()
        try await repository.append(IncidentTimelineEntry(at: clock(), by: actor, kind: .holdPlaced, text:
            "legal hold on \(cameras.count) camera(s), \(formatter.string(from: window.from)) – \(formatter.string(from: window.to))"), to: incident.id)
    }
}
