import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// A stored ``CityWatchDomain/Alarm``: the whole alarm as JSON, and the columns the queue is
/// read by.
public final class AlarmModel: DocumentRow, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "alarms"

    @ID public var id: UUID?
    @Field(key: "source") public var source: String
    @OptionalField(key: "source_ref") public var sourceRef: String?
    @Field(key: "status") public var status: String
    /// True while open or acknowledged.
    @Field(key: "active") public var active: Bool
    /// ``CityWatchDomain/Alarm/Priority/rank``: 0 is the most urgent.
    @Field(key: "priority_rank") public var priorityRank: Int
    @Field(key: "raised_at") public var raisedAt: Date
    @Field(key: "drill") public var drill: Bool
    @OptionalField(key: "incident_id") public var incidentID: UUID?
    /// The alarm as JSON.
    @Field(key: "document") public var document: String

    public init() {}

    static let dates = DocumentDates.millisecondsSince1970

    func index(_ alarm: Alarm) {
        source = alarm.source.rawValue
        sourceRef = alarm.sourceRef
        status = alarm.status.rawValue
        active = alarm.status.isActive
        priorityRank = alarm.priority.rank
        raisedAt = alarm.raisedAt
        drill = alarm.drill
        incidentID = alarm.incidentID
    }
}

/// A stored ``CityWatchDomain/Incident``: the whole incident as JSON, and the columns it is
/// found by.
public final class IncidentModel: DocumentRow, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "incidents"

    @ID public var id: UUID?
    @Field(key: "number") public var number: String
    @Field(key: "status") public var status: String
    @Field(key: "occurred_at") public var occurredAt: Date
    @Field(key: "opened_at") public var openedAt: Date
    @Field(key: "drill") public var drill: Bool
    @OptionalField(key: "origin_ref") public var originRef: String?
    @Field(key: "document") public var document: String

    public init() {}

    static let dates = DocumentDates.millisecondsSince1970

    func index(_ incident: Incident) {
        number = incident.number
        status = incident.status.rawValue
        occurredAt = incident.occurredAt
        openedAt = incident.openedAt
        drill = incident.drill
        originRef = incident.originRef
    }
}

/// One line of an incident's timeline (append-only).
public final class IncidentTimelineModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "incident_timeline"

    @ID public var id: UUID?
    @Field(key: "incident_id") public var incidentID: UUID
    @Field(key: "at") public var at: Date
    @Field(key: "actor") public var actor: String
    @Field(key: "kind") public var kind: String
    @Field(key: "text") public var text: String

    public init() {}
}

/// Creates the alarm queue, the incidents and their timelines.
struct CreateIncidents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AlarmModel.schema)
            .id()
            .field("source", .string, .required)
            .field("source_ref", .string)
            .field("status", .string, .required)
            .field("active", .bool, .required)
            .field("priority_rank", .int, .required)
            .field("raised_at", .datetime, .required)
            .field("drill", .bool, .required)
            .field("incident_id", .uuid)
            .field("document", .string, .required)
            .create()
        try await database.sql.create(index: "alarms_queue").on(AlarmModel.schema).column("active").column("priority_rank").column("raised_at").run()
        try await database.sql.create(index: "alarms_raised").on(AlarmModel.schema).column("raised_at").run()
        try await database.sql.create(index: "alarms_source").on(AlarmModel.schema).column("source").column("source_ref").run()
        try await database.schema(IncidentModel.schema)
            .id()
            .field("number", .string, .required)
            .field("status", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("opened_at", .datetime, .required)
            .field("drill", .bool, .required)
            .field("origin_ref", .string)
            .field("document", .string, .required)
            .unique(on: "number")
            .create()
        try await database.sql.create(index: "incidents_status").on(IncidentModel.schema).column("status").column("opened_at").run()
        try await database.sql.create(index: "incidents_origin").on(IncidentModel.schema).column("origin_ref").run()
        try await database.schema(IncidentTimelineModel.schema)
            .id()
            .field("incident_id", .uuid, .required, .references(IncidentModel.schema, "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .create()
        try await database.sql.create(index: "incident_timeline_incident").on(IncidentTimelineModel.schema).column("incident_id").column("at").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [IncidentTimelineModel.schema, IncidentModel.schema, AlarmModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
