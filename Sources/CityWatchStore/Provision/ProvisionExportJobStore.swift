import FluentKit
import Foundation

/// A provision export as every node sees it: which node runs it, how far it has got, how it
/// ended. One row per request (its latest export attempt).
public struct ProvisionExportJobRecord: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case running, done, failed
        /// Marked running, but the node running it stopped telling (stopped or crashed mid-export).
        case interrupted
    }

    public var requestID: UUID
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
}

/// Keeps provision export jobs in the shared store, so any node's console can follow an export
/// another node runs, and two nodes never run the same request's export at once.
public struct ProvisionExportJobStore: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Claims request `id`'s export for a new run on `node`: it is claimed when no job of the
    /// request ran yet, the last one ended, or the running one has not been heard of since
    /// `staleBefore`. Returns the new record, or nil with the job that is running now.
    public func claim(_ id: UUID, node: String, by actor: String, at now: Date, staleBefore: Date) async throws
        -> (claimed: ProvisionExportJobRecord?, running: ProvisionExportJobRecord?) {
        let runID = UUID()
        let fresh = ProvisionExportJobModel()
        fresh.id = id
        fresh.fill(runID: runID, node: node, by: actor, at: now)
        do {
            try await fresh.create(on: database)
        } catch {
            // The request has a row already: take it over if its job is over or abandoned. The
            // conditional update is atomic, so of two nodes at once only one run id lands.
            try await ProvisionExportJobModel.query(on: database).filter(\.$id == id)
                .group(.or) { $0.filter(\.$state != ProvisionExportJobRecord.State.running.rawValue).filter(\.$updatedAt < staleBefore) }
                .set(\.$runID, to: runID).set(\.$state, to: ProvisionExportJobRecord.State.running.rawValue)
                .set(\.$node, to: node).set(\.$startedBy, to: actor).set(\.$startedAt, to: now).set(\.$endedAt, to: nil)
                .set(\.$camerasDone, to: 0).set(\.$cameras, to: 0).set(\.$percent, to: 0).set(\.$error, to: nil).set(\.$updatedAt, to: now)
                .update()
        }
        guard let row = try await ProvisionExportJobModel.find(id, on: database) else {
            throw ProvisionExportJobProblem.vanished(id)
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

    /// Ends run `runID`: done, or failed with `error`.
    public func finish(_ id: UUID, runID: UUID, error: String?, at now: Date) async throws {
        let state: ProvisionExportJobRecord.State = error == nil ? .done : .failed
        try await running(id, runID).set(\.$state, to: state.rawValue).set(\.$error, to: error.map { String($0.prefix(2_000)) })
            .set(\.$endedAt, to: now).set(\.$updatedAt, to: now).update()
    }

    /// Request `id`'s latest job; a running one not heard of since `staleBefore` reads as interrupted.
    public func job(_ id: UUID, staleBefore: Date) async throws -> ProvisionExportJobRecord? {
        try await ProvisionExportJobModel.find(id, on: database)?.record(staleBefore: staleBefore)
    }

    private func running(_ id: UUID, _ runID: UUID) -> QueryBuilder<ProvisionExportJobModel> {
        ProvisionExportJobModel.query(on: database).filter(\.$id == id).filter(\.$runID == runID)
            .filter(\.$state == ProvisionExportJobRecord.State.running.rawValue)
    }
}

public enum ProvisionExportJobProblem: Error, CustomStringConvertible {
    case vanished(UUID)

    public var description: String {
        switch self {
        case .vanished(let id): "the export job of request \(id) was removed while it was being claimed"
        }
    }
}

final class ProvisionExportJobModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel; the store hands out `ProvisionExportJobRecord` values, never the model.
    static let schema = "provision_export_jobs"

    /// The request's id: one row per request.
    @ID(custom: "id", generatedBy: .user) var id: UUID?
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
        state = ProvisionExportJobRecord.State.running.rawValue
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

    func record(staleBefore: Date) -> ProvisionExportJobRecord {
        var state = ProvisionExportJobRecord.State(rawValue: state) ?? .failed
        if state == .running, updatedAt < staleBefore { state = .interrupted }
        return ProvisionExportJobRecord(requestID: id ?? UUID(), runID: runID, state: state, node: node, startedBy: startedBy,
                                        startedAt: startedAt, endedAt: endedAt, camerasDone: camerasDone, cameras: cameras,
                                        percent: state == .done ? 100 : percent ?? (cameras > 0 ? camerasDone * 100 / cameras : 0),
                                        error: error, updatedAt: updatedAt)
    }
}

struct CreateProvisionExportJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProvisionExportJobModel.schema)
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
        try await database.schema(ProvisionExportJobModel.schema).delete()
    }
}

/// Keeps how far a running export has got within the clip being cut, not only by cameras.
struct AddProvisionExportPercent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProvisionExportJobModel.schema).field("percent", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProvisionExportJobModel.schema).deleteField("percent").update()
    }
}
