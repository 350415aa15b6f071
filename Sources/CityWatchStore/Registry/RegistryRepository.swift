import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// Reads and writes the camera registry (sites and their cameras).
///
/// Imports write in batches of plain SQL (a few hundred rows per statement) inside the
/// caller's transaction; the web and the in-memory directory read whole tables at once.
public struct RegistryRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// A record of an import file with its registry key.
    public struct KeyedRecord: Sendable {
        public var key: String
        public var record: RegistryRecord

        public init(key: String, record: RegistryRecord) {
            self.key = key
            self.record = record
        }
    }

    /// What one batch did.
    public struct BatchOutcome: Sendable, Equatable {
        public var added = 0
        public var changed = 0
        public var unchanged = 0
        public var camerasAdded = 0
        public var camerasRemoved = 0

        public init() {}

        public static func += (lhs: inout BatchOutcome, rhs: BatchOutcome) {
            lhs.added += rhs.added
            lhs.changed += rhs.changed
            lhs.unchanged += rhs.unchanged
            lhs.camerasAdded += rhs.camerasAdded
            lhs.camerasRemoved += rhs.camerasRemoved
        }
    }

    /// Writes one batch of an import run: new sites are inserted with their cameras, changed
    /// sites updated (cameras added or removed to match the count), and every site of the batch
    /// marked as seen by `run`.
    public func apply(_ batch: [KeyedRecord], run: UUID, now: Date) async throws -> BatchOutcome {
        var outcome = BatchOutcome()
        guard !batch.isEmpty else { return outcome }
        let sql = database.sql
        let existing = try await sql.select().column("*").from(SiteModel.schema)
            .where("registry_key", .in, batch.map(\.key))
            .all(decoding: SiteRow.self)
        let byKey = Dictionary(existing.map { ($0.registryKey, $0) }, uniquingKeysWith: { first, _ in first })
        var newSites: [SiteRow] = []
        var newCameras: [CameraRow] = []
        var unchangedIDs: [UUID] = []
        for item in batch {
            guard let old = byKey[item.key] else {
                let site = SiteRow(id: UUID(), key: item.key, record: item.record, seenImport: run, createdAt: now, updatedAt: now)
                newSites.append(site)
                newCameras += Self.cameras(of: site.id, positions: 1...item.record.cameraCount, now: now)
                outcome.added += 1
                continue
            }
            if old.record == item.record {
                unchangedIDs.append(old.id)
                outcome.unchanged += 1
                continue
            }
            let updated = SiteRow(id: old.id, key: item.key, record: item.record, seenImport: run,
                                  createdAt: old.createdAt, updatedAt: now)
            let update = sql.update(SiteModel.schema)
            for (column, value) in zip(SiteRow.columns, updated.binds) where column != "id" { update.set(SQLColumn(column), to: value) }
            try await update.where("id", .equal, old.id).run()
            if item.record.cameraCount > old.cameraCount {
                newCameras += Self.cameras(of: old.id, positions: (old.cameraCount + 1)...item.record.cameraCount, now: now)
            } else if item.record.cameraCount < old.cameraCount {
                try await sql.delete(from: CameraModel.schema)
                    .where("site_id", .equal, old.id).where("position", .greaterThan, item.record.cameraCount).run()
                outcome.camerasRemoved += old.cameraCount - item.record.cameraCount
            }
            outcome.changed += 1
        }
        for chunk in newSites.chunks(of: 400) {
            let insert = sql.insert(into: SiteModel.schema).columns(SiteRow.columns)
            for row in chunk { insert.values(row.binds) }
            try await insert.run()
        }
        for chunk in newCameras.chunks(of: 1_000) {
            let insert = sql.insert(into: CameraModel.schema).columns(CameraRow.columns)
            for row in chunk { insert.values(row.binds) }
            try await insert.run()
        }
        for chunk in unchangedIDs.chunks(of: 1_000) {
            try await sql.update(SiteModel.schema).set("seen_import", to: run).where("id", .in, chunk).run()
        }
        outcome.camerasAdded = newCameras.count
        return outcome
    }

    /// Sites that import `run` did not see, and their cameras.
    public func countMissing(run: UUID) async throws -> (sites: Int, cameras: Int) {
        let row = try await database.sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "sites")
            .column(SQLRaw("COALESCE(CAST(SUM(camera_count) AS BIGINT), 0)"), as: "cameras")
            .from(SiteModel.schema)
            .where(Self.notSeen(by: run))
            .first()
        return (try row?.decode(column: "sites", as: Int.self) ?? 0, try row?.decode(column: "cameras", as: Int.self) ?? 0)
    }

    /// Deletes the sites that import `run` did not see, with their cameras.
    public func pruneMissing(run: UUID) async throws -> (sites: Int, cameras: Int) {
        let counts = try await countMissing(run: run)
        let sql = database.sql
        try await sql.delete(from: CameraModel.schema)
            .where(SQLColumn("site_id"), .in, SQLGroupExpression(
                sql.select().column("id").from(SiteModel.schema).where(Self.notSeen(by: run)).select))
            .run()
        try await sql.delete(from: SiteModel.schema).where(Self.notSeen(by: run)).run()
        return counts
    }

    private static func notSeen(by run: UUID) -> some SQLExpression {
        SQLBinaryExpression(
            SQLBinaryExpression(SQLColumn("seen_import"), .is, SQLLiteral.null),
            .or,
            SQLBinaryExpression(SQLColumn("seen_import"), .notEqual, SQLBind(run)))
    }

    /// Every site, in registry-key order, one page at a time (for exports of any size).
    public func forEachSitePage(pageSize: Int = 2_000, _ body: ([Site]) async throws -> Void) async throws {
        var after: String?
        while true {
            let query = database.sql.select().column("*").from(SiteModel.schema)
            if let after { query.where("registry_key", .greaterThan, after) }
            let page = try await query.orderBy("registry_key").limit(pageSize)
                .all(decoding: SiteRow.self)
            guard !page.isEmpty else { return }
            try await body(page.map(\.site))
            after = page.last?.registryKey
        }
    }

    /// Every site and every camera, for the in-memory directory.
    public func loadAll() async throws -> (sites: [Site], cameras: [Camera]) {
        let sql = database.sql
        let sites = try await sql.select().column("*").from(SiteModel.schema)
            .all(decoding: SiteRow.self).map(\.site)
        let cameras = try await sql.select().column("*").from(CameraModel.schema)
            .orderBy("site_id").orderBy("position")
            .all(decoding: CameraRow.self).map(\.camera)
        return (sites, cameras)
    }

    /// Counts of sites and cameras.
    public func counts() async throws -> (sites: Int, cameras: Int) {
        let sites = try await SiteModel.query(on: database).count()
        let cameras = try await CameraModel.query(on: database).count()
        return (sites, cameras)
    }

    /// Changes a camera's name or enabled flag; returns nil when there is no such camera.
    public func updateCamera(id: UUID, name: String??, enabled: Bool?, now: Date) async throws -> Camera? {
        guard let model = try await CameraModel.find(id, on: database) else { return nil }
        if let name { model.name = name }
        if let enabled { model.enabled = enabled }
        model.updatedAt = now
        try await model.save(on: database)
        return Camera(id: try model.requireID(), siteID: model.$site.id, position: model.position,
                      name: model.name, enabled: model.enabled)
    }

    private static func cameras(of site: UUID, positions: ClosedRange<Int>, now: Date) -> [CameraRow] {
        positions.map { CameraRow(id: UUID(), siteId: site, position: $0, name: nil, enabled: true, createdAt: now, updatedAt: now) }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
