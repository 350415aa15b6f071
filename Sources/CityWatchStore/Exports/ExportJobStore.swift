import FluentKit
import Foundation

/// An export running in the background, as every node sees it: which node runs it, how far it
/// has got, how it ended. A police provision's export has one row per request (its latest
/// attempt, the row's id the request's); an evidence export from playback one row per export
/// started (a fresh id).
public struct ExportJobRecord: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case running, done, failed
        /// Marked running, but the node running it stopped telling (stopped or crashed mid-export).
        case interrupted
    }

    public enum Kind: String, Sendable, Codable {
        /// Footage provided to the police (the id is the provision request's).
        case provision
        /// An evidence export (`POST /api/exports`).
        case evidence
    }

    /// The provision request's id, or the evidence export job's own.
    public var id: UUID
    public var kind: Kind
    /// This attempt; a later attempt of the same request has another.
    public var runID: UUID
    public var state: State
    public var node: String
    public var startedBy: String
    public var startedAt: Date
    public var endedAt: Date?
    public var camerasDone: Int
    public var cameras: Int
    /// 0…100: the share of the export done, the clip being cut counted by the time it reached.
    public var percent: Int
    public var error: String?
    /// When the running node last wrote (progress or its heartbeat).
    public var updatedAt: Date
    /// The export made, once done.
    public var exportID: UUID?
    /// The cameras exported (an evidence export's; who may follow it is decided by them).
    public var cameraIDs: [UUID]
}

/// Keeps export jobs in the shared store, so any node's console can follow an export another
/// node runs, and two nodes never run the same request's export at once.
public struct ExportJobStore: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Claims job `id` for a new run on `node`: it is claimed when no job of that id ran yet,
    /// the last one ended, or the running one has not been heard of since `staleBefore`.
    /// Returns the new record, or nil with the job that is running now.
    public func claim(_ id: UUID, kind: ExportJobRecord.Kind, cameraIDs: [UUID], node: String, by actor: String, at now: Date,
                      staleBefore: Date) async throws -> (claimed: ExportJobRecord?, running: ExportJobRecord?) {
        let runID = UUID()
        let fresh = ExportJobModel()
        fresh.id = id
        fresh.kind = kind.rawValue
        fresh.cameraIDs = cameraIDs.map(\.uuidString).joined(separator: ",")
        fresh.fill(runID: runID, node: node, by: actor, at: now)
        do {
            try await fresh.create(on: database)
        } catch {
            // The request has a row already: take it over if its job is over or abandoned. The
            // conditional update is atomic, so of two nodes at once only one run id lands.
            try await ExportJobModel.query(on: database).filter(\.$id == id)
                .group(.or) { $0.filter(\.$state != ExportJobRecord.State.running.rawValue).filter(\.$updatedAt < staleBefore) }
                .set(\.$runID, to: runID).set(\.$state, to: ExportJobRecord.State.running.rawValue)
                .set(\.$node, to: node).set(\.$startedBy, to: actor).set(\.$startedAt, to: now).set(\.$endedAt, to: nil)
                .set(\.$camerasDone, to: 0).set(\.$cameras, to: 0).set(\.$percent, to: 0).set(\.$error, to: nil).set(\.$updatedAt, to: now)
                .set(\.$exportID, to: nil).update()
        }
        guard let row = try await ExportJobModel.find(id, on: database) else {
            throw ExportJobProblem.vanished(id)
        }
        let record = row.record(staleBefore: staleBefore)
        return row.runID == runID ? (record, nil) : (nil, record)
    }

    /// Records progress of run `runID` (ignored once the run has ended or another took over).
    public func progress(_ id: UUID, runID: UUID, camerasDone: Int, cameras: Int, percent: Int, at now: Date) async throws {
        try await running(id, runID).set(\.$camerasDone, to: camerasDone).set(\.$cameras, to: cameras)
            .set(\.$percent, to: min(100, max(0, percent))).set(\.$updatedAt, to: now).update()
    }

    /// Tells the other nodes run `runID` is still alive.
    public func heartbeat(_ id: UUID, runID: UUID, at now: Date) async throws {
        try await running(id, runID).set(\.$updatedAt, to: now).update()
    }

    /// Ends run `runID`: done (with the export it made), or failed with `error`.
    public func finish(_ id: UUID, runID: UUID, error: String?, exportID: UUID? = nil, at now: Date) async throws {
        let state: ExportJobRecord.State = error == nil ? .done : .failed
        try await running(id, runID).set(\.$state, to: state.rawValue).set(\.$error, to: error.map { String($0.prefix(2_000)) })
            .set(\.$exportID, to: exportID).set(\.$endedAt, to: now).set(\.$updatedAt, to: now).update()
    }

    /// Job `id`'s latest run; a running one not heard of since `staleBefore` reads as interrupted.
    public func job(_ id: UUID, staleBefore: Date) async throws -> ExportJobRecord? {
        try await ExportJobModel.find(id, on: database)?.record(staleBefore: staleBefore)
    }

    private func running(_ id: UUID, _ runID: UUID) -> QueryBuilder<ExportJobModel> {
        ExportJobModel.query(on: database).filter(\.$id == id).filter(\.$runID == runID)
            .filter(\.$state == ExportJobRecord.State.running.rawValue)
    }
}

public enum ExportJobProblem: Error, CustomStringConvertible {
    case vanished(UUID)

    public var description: String {
        switch self {
        case .vanished(let id): "export job \(id) was removed while it was being claimed"
        }
    }
}

final class ExportJobModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel; the store hands out `ExportJobRecord` values, never the model.
    /// Named when only provision exports had jobs; kept, since migrations within a minor version
    /// are additive only (a node of the previous version still reads and writes this table).
    static let schema = "provision_export_jobs"

    /// A provision request's id (one row per request), or an evidence export job's own.
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    /// `provision` or `evidence`; absent in rows written before evidence exports had jobs.
    @OptionalField(key: "kind") var kind: String?
    /// The export made, once done; absent in rows written before it was kept.
    @OptionalField(key: "export_id") var exportID: UUID?
    /// The cameras exported, comma-separated (evidence exports).
    @OptionalField(key: "camera_ids") var cameraIDs: String?
    @Field(key: "run_id") var runID: UUID
    @Field(key: "state") var state: String
    @Field(key: "node") var node: String
    @Field(key: "started_by") var startedBy: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "ended_at") var endedAt: Date?
    @Field(key: "cameras_done") var camerasDone: Int
    @Field(key: "cameras") var cameras: Int
    /// Absent in rows written before it was kept.
    @OptionalField(key: "percent") var percent: Int?
    @OptionalField(key: "error") var error: String?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    func fill(runID: UUID, node: String, by actor: String, at now: Date) {
        self.runID = runID
        state = ExportJobRecord.State.running.rawValue
        self.node = node
        startedBy = actor
        startedAt = now
        endedAt = nil
        camerasDone = 0
        cameras = 0
        percent = 0
        error = nil
        updatedAt = now
    }

    func record(staleBefore: Date) -> ExportJobRecord {
        var state = ExportJobRecord.State(rawValue: state) ?? .failed
        if state == .running, updatedAt < staleBefore { state = .interrupted }
        return ExportJobRecord(id: id ?? UUID(), kind: kind.flatMap(ExportJobRecord.Kind.init(rawValue:)) ?? .provision, runID: runID,
                               state: state, node: node, startedBy: startedBy, startedAt: startedAt, endedAt: endedAt,
                               camerasDone: camerasDone, cameras: cameras,
                               percent: state == .done ? 100 : percent ?? (cameras > 0 ? camerasDone * 100 / cameras : 0),
                               error: error, updatedAt: updatedAt, exportID: exportID,
                               cameraIDs: (cameraIDs ?? "").split(separator: ",").compactMap { UUID(uuidString: String($0)) })
    }
}

/// The table's name as the first migrations made it (the model's, still).
private let provisionJobsTable = "provision_export_jobs"

struct CreateProvisionExportJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(provisionJobsTable)
            .field("id", .uuid, .identifier(auto: false))
            .field("run_id", .uuid, .required)
            .field("state", .string, .required)
            .field("node", .string, .required)
            .field("started_by", .string, .required)
            .field("started_at", .datetime, .required)
            .field("ended_at", .datetime)
            .field("cameras_done", .int, .required)
            .field("cameras", .int, .required)
            .field("error", .string)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(provisionJobsTable).delete()
    }
}

/// Keeps how far a running export has got within the clip being cut, not only by cameras.
struct AddProvisionExportPercent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(provisionJobsTable).field("percent", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(provisionJobsTable).deleteField("percent").update()
    }
}

/// Evidence exports run as jobs too: the table keeps each job's kind, the export it made and
/// (evidence exports) its cameras, in nullable columns a node of the previous version ignores
/// (a row without a kind is a provision's).
struct GeneraliseExportJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds no more at once.
        for (name, type) in [("kind", DatabaseSchema.DataType.string), ("export_id", .uuid), ("camera_ids", .string)] {
            try await database.schema(ExportJobModel.schema).field(.definition(name: .key(.string(name)), dataType: type, constraints: [])).update()
        }
    }

    func revert(on database: any Database) async throws {
        for name in ["kind", "export_id", "camera_ids"] { try await database.schema(ExportJobModel.schema).deleteField(.string(name)).update() }
    }
}
