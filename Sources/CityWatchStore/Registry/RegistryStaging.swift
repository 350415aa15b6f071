#if canImport(Glibc)
import Glibc
#endif
import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// A registry import staged before it is switched in, so that no import holds the store's write
/// lock for more than a batch at a time (a bell press never waits behind an import).
///
/// 1. **Staging**: every batch of the file is compared with the registry (a read) and written to
///    `registry_staging` with what it will do — add, change or leave a site — in a short
///    transaction of its own. Nothing the control room reads changes.
/// 2. **Commit point**: one short transaction marks the run committed (with its audit entry).
///    Before it, the import has not happened: a dry run, a failure or a kill leaves the registry
///    as it was and the staged rows are discarded. After it, the import has happened.
/// 3. **Switching in**: the staged changes are applied a batch per transaction, each batch marked
///    applied in the same transaction; then the sites the file no longer names are pruned (if
///    asked) and the registry version is bumped, which is when the consoles' directory changes.
///    A kill here is finished by ``RegistryImporter`` at the next start or import (roll
///    forward), so the registry always ends as one whole import left it.
public struct RegistryStaging: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// What a staged row does to the registry.
    public enum Operation: String, Sendable {
        case add, change, same
    }

    /// An import run that has not finished.
    public struct Run: Sendable, Equatable {
        public var id: UUID
        public var actor: String
        public var file: String
        /// `staging` (not yet an import) or `committed` (to be switched in).
        public var state: String
        public var prune: Bool
        /// Sites added, changed or pruned: whether switching in changes the registry.
        public var changes: Int
        public var heartbeatAt: Date
        /// The machine and process running it.
        public var host: String
        public var pid: Int

        /// True when the run's process is known to have ended: it ran on this machine and no
        /// process has its id any more, or nothing was heard of it for `staleAfter` seconds.
        public func isAbandoned(now: Date, staleAfter: TimeInterval) -> Bool {
            if now.timeIntervalSince(heartbeatAt) > staleAfter { return true }
            guard host == RegistryStaging.hostName else { return false }
            return kill(pid_t(pid), 0) != 0 && errno == ESRCH
        }
    }

    /// This machine's name, as runs record it.
    public static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    static let runs = "registry_import_runs"
    static let staging = "registry_staging"
    /// Staged columns besides the site's own.
    static let stagingColumns = SiteRow.columns + ["run_id", "seq", "op", "applied", "old_camera_count"]

    // MARK: Runs

    /// Starts run `id` of `actor` importing `file`.
    public func begin(run id: UUID, actor: String, file: String, prune: Bool, now: Date) async throws {
        try await database.writeTransaction { tx in
            try await tx.sql.insert(into: Self.runs)
                .columns("id", "actor", "file", "state", "prune", "changes", "started_at", "heartbeat_at", "host", "pid")
                .values(SQLBind(id), SQLBind(actor), SQLBind(String(file.prefix(300))), SQLBind("staging"), SQLBind(prune), SQLBind(0),
                        SQLBind(now), SQLBind(now), SQLBind(Self.hostName), SQLBind(Int(getpid())))
                .run()
        }
    }

    /// Runs not finished (staging, or committed and not yet switched in), oldest first.
    public func unfinished() async throws -> [Run] {
        try await database.sql.select().columns("id", "actor", "file", "state", "prune", "changes", "heartbeat_at", "host", "pid").from(Self.runs)
            .orderBy("started_at").all().map { row in
                Run(id: try row.decode(column: "id", as: UUID.self), actor: try row.decode(column: "actor", as: String.self),
                    file: try row.decode(column: "file", as: String.self), state: try row.decode(column: "state", as: String.self),
                    prune: try row.decode(column: "prune", as: Bool.self), changes: try row.decode(column: "changes", as: Int.self),
                    heartbeatAt: try row.decode(column: "heartbeat_at", as: Date.self), host: try row.decode(column: "host", as: String.self),
                    pid: try row.decode(column: "pid", as: Int.self))
            }
    }

    /// Notes that run `id` is alive (a run whose heartbeat stops was killed).
    public func heartbeat(run id: UUID, now: Date) async throws {
        try await database.writeTransaction { tx in
            try await tx.sql.update(Self.runs).set("heartbeat_at", to: SQLBind(now)).where("id", .equal, SQLBind(id)).run()
        }
    }

    /// The commit point: run `id` is an import from now on, switched in by ``applyNext(run:limit:now:)``.
    /// `alsoInTransaction` writes what belongs with it (the audit entry).
    public func commit(run id: UUID, changes: Int, now: Date,
                       alsoInTransaction: @escaping @Sendable (any Database) async throws -> Void) async throws {
        try await database.writeTransaction { tx in
            try await tx.sql.update(Self.runs).set("state", to: SQLBind("committed")).set("changes", to: SQLBind(changes))
                .set("heartbeat_at", to: SQLBind(now)).where("id", .equal, SQLBind(id)).run()
            try await alsoInTransaction(tx)
        }
    }

    /// Ends run `id`: its staged rows go in batches, then the run itself.
    public func discard(run id: UUID, batch: Int = 2_000) async throws {
        while true {
            let deleted = try await database.writeTransaction { tx -> Int in
                let rows = try await tx.sql.select().column("seq").from(Self.staging).where("run_id", .equal, SQLBind(id))
                    .orderBy("seq").limit(batch).all().map { try $0.decode(column: "seq", as: Int.self) }
                guard let last = rows.last else { return 0 }
                try await tx.sql.delete(from: Self.staging).where("run_id", .equal, SQLBind(id)).where("seq", .lessThanOrEqual, SQLBind(last)).run()
                return rows.count
            }
            if deleted == 0 { break }
            try await Task.sleep(for: .milliseconds(10))  // leave the write lock free between batches
        }
        try await database.writeTransaction { tx in
            try await tx.sql.delete(from: Self.runs).where("id", .equal, SQLBind(id)).run()
        }
    }

    // MARK: Staging

    /// Compares `batch` with the registry and stages it as rows `firstSeq…` of run `id`;
    /// returns what it will do once switched in.
    public func stage(_ batch: [RegistryRepository.KeyedRecord], run id: UUID, firstSeq: Int, now: Date) async throws
        -> RegistryRepository.BatchOutcome {
        var outcome = RegistryRepository.BatchOutcome()
        guard !batch.isEmpty else { return outcome }
        let existing = try await database.sql.select().column("*").from(SiteModel.schema)
            .where("registry_key", .in, batch.map(\.key)).all(decoding: SiteRow.self)
        let byKey = Dictionary(existing.map { ($0.registryKey, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [[any SQLExpression]] = []
        for (offset, item) in batch.enumerated() {
            let old = byKey[item.key]
            let operation: Operation = old == nil ? .add : old!.record == item.record ? .same : .change
            switch operation {
            case .add:
                outcome.added += 1
                outcome.camerasAdded += item.record.cameraCount
            case .change:
                outcome.changed += 1
                outcome.camerasAdded += max(0, item.record.cameraCount - old!.cameraCount)
                outcome.camerasRemoved += max(0, old!.cameraCount - item.record.cameraCount)
            case .same:
                outcome.unchanged += 1
            }
            let site = SiteRow(id: old?.id ?? UUID(), key: item.key, record: item.record, seenImport: id,
                               createdAt: old?.createdAt ?? now, updatedAt: now)
            rows.append(site.binds + [SQLBind(id), SQLBind(firstSeq + offset), SQLBind(operation.rawValue), SQLBind(false),
                                      SQLBind(old?.cameraCount ?? 0)])
        }
        let staged = rows
        try await database.writeTransaction { tx in
            for chunk in staged.chunks(of: 200) {
                let insert = tx.sql.insert(into: Self.staging).columns(Self.stagingColumns)
                for row in chunk { insert.values(row) }
                try await insert.run()
            }
        }
        return outcome
    }

    /// Sites (and their cameras) of the registry that run `id` did not stage: what the file no
    /// longer names.
    public func countMissing(run id: UUID) async throws -> (sites: Int, cameras: Int) {
        let row = try await database.sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "sites")
            .column(SQLRaw("COALESCE(CAST(SUM(camera_count) AS BIGINT), 0)"), as: "cameras")
            .from(SiteModel.schema)
            .where(Self.notStaged(by: id, on: database.sql))
            .first()
        return (try row?.decode(column: "sites", as: Int.self) ?? 0, try row?.decode(column: "cameras", as: Int.self) ?? 0)
    }

    /// Sites whose key run `run` did not stage.
    static func notStaged(by run: UUID, on sql: any SQLDatabase) -> some SQLExpression {
        SQLBinaryExpression(SQLColumn("registry_key"), .notIn, SQLGroupExpression(
            sql.select().column("registry_key").from(staging).where("run_id", .equal, SQLBind(run)).select))
    }
}

extension RegistryStaging {
    // MARK: Switching in

    /// Applies the next `limit` staged changes of committed run `id` in one transaction and
    /// marks them applied; returns how many there were (0: all are in).
    public func applyNext(run id: UUID, limit: Int = 500, now: Date) async throws -> Int {
        try await database.writeTransaction { tx in
            let sql = tx.sql
            let staged = try await sql.select().column("*").from(Self.staging)
                .where("run_id", .equal, SQLBind(id)).where("applied", .equal, SQLBind(false)).where("op", .notEqual, SQLBind(Operation.same.rawValue))
                .orderBy("seq").limit(limit).all()
            guard !staged.isEmpty else { return 0 }
            var newSites: [SiteRow] = [], newCameras: [CameraRow] = []
            var seqs: [Int] = []
            for row in staged {
                let site = try row.decode(model: SiteRow.self)
                seqs.append(try row.decode(column: "seq", as: Int.self))
                if try row.decode(column: "op", as: String.self) == Operation.add.rawValue {
                    newSites.append(site)
                    newCameras += Self.cameras(of: site.id, positions: 1...max(1, site.cameraCount), now: now)
                    continue
                }
                // A change: cameras follow the count the site has now.
                let current = try await sql.select().column("camera_count").from(SiteModel.schema).where("id", .equal, SQLBind(site.id))
                    .first()?.decode(column: "camera_count", as: Int.self)
                guard let current else { continue }
                let update = sql.update(SiteModel.schema)
                for (column, value) in zip(SiteRow.columns, site.binds) where column != "id" && column != "created_at" {
                    update.set(SQLColumn(column), to: value)
                }
                try await update.where("id", .equal, SQLBind(site.id)).run()
                if site.cameraCount > current {
                    newCameras += Self.cameras(of: site.id, positions: (current + 1)...site.cameraCount, now: now)
                } else if site.cameraCount < current {
                    try await sql.delete(from: CameraModel.schema)
                        .where("site_id", .equal, SQLBind(site.id)).where("position", .greaterThan, SQLBind(site.cameraCount)).run()
                }
            }
            for chunk in newSites.chunks(of: 400) {
                let insert = sql.insert(into: SiteModel.schema).columns(SiteRow.columns)
                for site in chunk { insert.values(site.binds) }
                try await insert.run()
            }
            for chunk in newCameras.chunks(of: 1_000) {
                let insert = sql.insert(into: CameraModel.schema).columns(CameraRow.columns)
                for camera in chunk { insert.values(camera.binds) }
                try await insert.run()
            }
            for chunk in seqs.chunks(of: 1_000) {
                try await sql.update(Self.staging).set("applied", to: SQLBind(true))
                    .where("run_id", .equal, SQLBind(id)).where("seq", .in, chunk).run()
            }
            return staged.count
        }
    }

    /// Deletes up to `limit` sites that run `id` did not stage, with their cameras, in one
    /// transaction; returns how many (0: none left).
    public func pruneNext(run id: UUID, limit: Int = 500) async throws -> (sites: Int, cameras: Int) {
        try await database.writeTransaction { tx in
            let rows = try await tx.sql.select().column("id").column("camera_count").from(SiteModel.schema)
                .where(Self.notStaged(by: id, on: tx.sql)).limit(limit).all()
            guard !rows.isEmpty else { return (0, 0) }
            let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
            let cameras = try rows.reduce(0) { $0 + (try $1.decode(column: "camera_count", as: Int.self)) }
            try await tx.sql.delete(from: CameraModel.schema).where("site_id", .in, ids).run()
            try await tx.sql.delete(from: SiteModel.schema).where("id", .in, ids).run()
            return (ids.count, cameras)
        }
    }

    /// Ends switching in run `id`: `alsoInTransaction` (bumping the registry version) and the
    /// run marked done, in one transaction.
    public func finish(run id: UUID, alsoInTransaction: @escaping @Sendable (any Database) async throws -> Void) async throws {
        try await database.writeTransaction { tx in
            try await alsoInTransaction(tx)
            try await tx.sql.update(Self.runs).set("state", to: SQLBind("done")).where("id", .equal, SQLBind(id)).run()
        }
    }

    private static func cameras(of site: UUID, positions: ClosedRange<Int>, now: Date) -> [CameraRow] {
        positions.map { CameraRow(id: UUID(), siteId: site, position: $0, name: nil, enabled: true, createdAt: now, updatedAt: now) }
    }
}

/// The staging tables of ``RegistryStaging``.
struct CreateRegistryStaging: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RegistryStaging.runs)
            .field("id", .uuid, .identifier(auto: false))
            .field("actor", .string, .required)
            .field("file", .string, .required)
            .field("state", .string, .required)
            .field("prune", .bool, .required)
            .field("changes", .int, .required)
            .field("started_at", .datetime, .required)
            .field("heartbeat_at", .datetime, .required)
            .field("host", .string, .required)
            .field("pid", .int, .required)
            .create()
        var staging = database.schema(RegistryStaging.staging)
            .field("run_id", .uuid, .required)
            .field("seq", .int, .required)
            .field("op", .string, .required)
            .field("applied", .bool, .required)
            .field("old_camera_count", .int, .required)
            .field("id", .uuid, .required)
        // The site's own columns, as the sites table has them (nullable here: a staging row is
        // written whole by the importer).
        for column in SiteRow.columns where column != "id" {
            let type: DatabaseSchema.DataType = switch column {
            case "camera_count": .int
            case "latitude", "longitude": .double
            case "seen_import": .uuid
            case "created_at", "updated_at": .datetime
            default: .string
            }
            staging = staging.field(.string(column), type)
        }
        try await staging.compositeIdentifier(over: "run_id", "seq").create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "registry_staging_key").on(RegistryStaging.staging).column("run_id").column("registry_key").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RegistryStaging.staging).delete()
        try await database.schema(RegistryStaging.runs).delete()
    }
}
