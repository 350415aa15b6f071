import CityWatchDomain
import FluentKit
import Foundation

/// Reads and writes the alarm queue, incidents and their timelines.
public struct IncidentRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    // MARK: Alarms

    /// Stores a new alarm or replaces the stored one with the same id.
    public func save(_ alarm: Alarm) async throws {
        try await AlarmModel.write(alarm, id: alarm.id, .upsert, on: database)
    }

    /// Changes the alarms of `ids` with one read (see `change`: nil leaves an alarm as it is);
    /// returns the changed ones by id. Run it in a transaction.
    public func modifyAlarms(_ ids: [UUID], _ change: (Alarm) -> Alarm?) async throws -> [UUID: Alarm] {
        try await AlarmModel.modify(ids, on: database, change)
    }

    public func alarm(_ id: UUID) async throws -> Alarm? {
        try await AlarmModel.value(id, on: database)
    }

    /// The alarm that `source` raised for its own reference `ref` (the latest, if several).
    public func alarm(source: Alarm.Source, ref: String) async throws -> Alarm? {
        guard let model = try await AlarmModel.query(on: database).filter(\.$source == source.rawValue).filter(\.$sourceRef == ref)
            .sort(\.$raisedAt, .descending).first() else { return nil }
        return try model.value
    }

    /// Which alarms a list holds: nil for any.
    public struct AlarmFilter: Sendable, Equatable {
        public var sources: Set<Alarm.Source>?
        public var priorities: Set<Alarm.Priority>?
        public var statuses: Set<Alarm.Status>?

        public init(sources: Set<Alarm.Source>? = nil, priorities: Set<Alarm.Priority>? = nil, statuses: Set<Alarm.Status>? = nil) {
            self.sources = sources
            self.priorities = priorities
            self.statuses = statuses
        }

        func apply(to query: QueryBuilder<AlarmModel>) -> QueryBuilder<AlarmModel> {
            var query = query
            if let sources { query = query.filter(\.$source ~~ sources.map(\.rawValue)) }
            if let priorities { query = query.filter(\.$priorityRank ~~ priorities.map(\.rank)) }
            if let statuses { query = query.filter(\.$status ~~ statuses.map(\.rawValue)) }
            return query
        }
    }

    /// The queue: active alarms (most urgent, then longest waiting first), then — when
    /// `includeFinished` — finished ones since `since`, newest first; at most `limit`, of those
    /// `filter` lets through.
    public func alarms(includeFinished: Bool, since: Date? = nil, limit: Int, filter: AlarmFilter = AlarmFilter()) async throws -> [Alarm] {
        let active = try await filter.apply(to: AlarmModel.query(on: database).filter(\.$active == true))
            .sort(\.$priorityRank).sort(\.$raisedAt).limit(limit).values()
        var alarms = active
        if includeFinished, alarms.count < limit {
            var query = filter.apply(to: AlarmModel.query(on: database).filter(\.$active == false))
            if let since { query = query.filter(\.$raisedAt >= since) }
            alarms += try await query.sort(\.$raisedAt, .descending).limit(limit - alarms.count).values()
        }
        return alarms.sorted(by: AlarmQueue.inQueueOrder)
    }

    /// Alarms raised in `from..<to` (drills too; the caller decides), oldest first.
    public func alarms(from: Date, to: Date) async throws -> [Alarm] {
        try await AlarmModel.query(on: database).filter(\.$raisedAt >= from).filter(\.$raisedAt < to)
            .sort(\.$raisedAt).values()
    }

    /// The alarms that joined incident `id`.
    public func alarms(incident id: UUID) async throws -> [Alarm] {
        try await AlarmModel.query(on: database).filter(\.$incidentID == id).sort(\.$raisedAt).values()
    }

    // MARK: Incidents

    /// Stores a new incident under the next number of its year (numbers are unique; a
    /// clash with another node's incident takes the next one).
    public func create(_ incident: Incident) async throws -> Incident {
        var incident = incident
        let year = IncidentRules.koreanYear(of: incident.openedAt)
        for _ in 0..<20 {
            let taken = try await IncidentModel.query(on: database).filter(\.$number >= "\(year)-").filter(\.$number < "\(year + 1)-").count()
            incident.number = IncidentRules.number(year: year, sequence: taken + 1)
            do {
                try await save(incident, creating: true)
                return incident
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue
            }
        }
        throw IncidentStoreError.noFreeNumber
    }

    /// Replaces the stored incident.
    public func update(_ incident: Incident) async throws {
        try await save(incident, creating: false)
    }

    private func save(_ incident: Incident, creating: Bool) async throws {
        try await IncidentModel.write(incident, id: incident.id, creating ? .create : .upsert, on: database)
    }

    public func incident(_ id: UUID) async throws -> Incident? {
        try await IncidentModel.value(id, on: database)
    }

    /// The incident a partner system opened under its reference `ref`.
    public func incident(originRef ref: String) async throws -> Incident? {
        try await IncidentModel.query(on: database).filter(\.$originRef == ref).first()?.value
    }

    /// Incidents not closed, and closed ones opened since `closedSince`, newest first.
    public func incidents(closedSince: Date?, limit: Int) async throws -> [Incident] {
        var open = try await IncidentModel.query(on: database).filter(\.$status != Incident.Status.closed.rawValue)
            .sort(\.$openedAt, .descending).limit(limit).values()
        if let closedSince, open.count < limit {
            open += try await IncidentModel.query(on: database).filter(\.$status == Incident.Status.closed.rawValue)
                .filter(\.$openedAt >= closedSince).sort(\.$openedAt, .descending).limit(limit - open.count).values()
        }
        return open
    }

    // MARK: Timeline

    public func append(_ entry: IncidentTimelineEntry, to incident: UUID) async throws {
        let model = IncidentTimelineModel()
        model.incidentID = incident
        model.at = entry.at
        model.actor = entry.by
        model.kind = entry.kind.rawValue
        model.text = entry.text
        try await model.create(on: database)
    }

    /// The incident's timeline, oldest first.
    public func timeline(of incident: UUID) async throws -> [IncidentTimelineEntry] {
        try await IncidentTimelineModel.query(on: database).filter(\.$incidentID == incident).sort(\.$at).all().map {
            IncidentTimelineEntry(at: $0.at, by: $0.actor, kind: IncidentTimelineEntry.Kind(rawValue: $0.kind) ?? .note, text: $0.text)
        }
    }
}

/// What the incident store could not do.
public enum IncidentStoreError: Error, CustomStringConvertible {
    case noFreeNumber

    public var description: String { "no free incident number after 20 tries; try again" }
}
