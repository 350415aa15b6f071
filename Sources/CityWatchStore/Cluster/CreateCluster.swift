import FluentKit
import SQLKit

/// The cluster's tables: the nodes (name, address, capacity, heartbeat), one lease per recorded
/// camera (holder, fencing epoch, expiry), footage a node wrote without holding the camera, and
/// the node each segment was written on.
struct CreateCluster: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cluster_nodes")
            .field("name", .string, .identifier(auto: false))
            .field("instance", .uuid, .required)
            .field("address", .string, .required)
            .field("capacity", .int, .required)
            .field("version", .string, .required)
            .field("draining", .bool, .required)
            .field("started_at", .datetime, .required)
            .field("heartbeat_at", .datetime, .required)
            .field("stopped_at", .datetime)
            .create()
        try await database.schema("camera_leases")
            .field("camera_id", .uuid, .identifier(auto: false))
            // Empty when let go: nobody holds it, and the next holder takes the following epoch.
            .field("node", .string, .required)
            .field("epoch", .int64, .required)
            .field("acquired_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "camera_leases_node").on("camera_leases").column("node").run()
        try await database.schema("unadopted_footage")
            .id()
            .field("camera_id", .uuid, .required)
            .field("node", .string, .required)
            .field("path", .string, .required)
            .field("start_at", .datetime, .required)
            .field("end_at", .datetime, .required)
            .field("bytes", .int64, .required)
            .field("reason", .string, .required)
            .field("found_at", .datetime, .required)
            .unique(on: "node", "path")
            .create()
        try await database.schema(SegmentModel.schema).field("node", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SegmentModel.schema).deleteField("node").update()
        for table in ["unadopted_footage", "camera_leases", "cluster_nodes"] {
            try await database.schema(table).delete()
        }
    }
}

/// A node's analysis capacity (frames a second it may decode and analyse; NULL: no limit),
/// shown beside its camera capacity. Additive: a node of the version before writes no value.
struct AddNodeAnalysisCapacity: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cluster_nodes").field("analysis_fps", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cluster_nodes").deleteField("analysis_fps").update()
    }
}

/// A node still starting (registered, its recorder not yet ready to record): the others hand it
/// no cameras until it can claim them. Additive: NULL, what a node of the version before leaves,
/// counts as started.
struct AddNodeStarting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cluster_nodes").field("starting", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cluster_nodes").deleteField("starting").update()
    }
}
