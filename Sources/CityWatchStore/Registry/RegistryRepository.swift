import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// Reads and writes the camera registry (sites and their cameras).
///
/// Imports stage and switch in through ``RegistryStaging``; the web and the in-memory
/// directory read whole tables at once.
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

    /// What one batch of an import does to the registry.
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
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
