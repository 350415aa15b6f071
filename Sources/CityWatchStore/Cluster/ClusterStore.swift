import FluentKit
import Foundation
import SQLKit

/// What a node holds a camera under: its name and the lease's fencing epoch. Every write a
/// node makes for a camera carries it, and the store refuses one whose epoch is not the
/// camera's current lease (``ClusterStore/requireHolder(_:camera:)``).
public struct LeaseToken: Sendable, Hashable, CustomStringConvertible {
    public var node: String
    public var epoch: Int64

    public init(node: String, epoch: Int64) {
        self.node = node
        self.epoch = epoch
    }

    public var description: String { "\(node) epoch \(epoch)" }
}

/// A write refused because the camera's lease has moved on: the writer is fenced off.
public struct FencedWrite: Error, CustomStringConvertible {
    public var camera: UUID
    public var token: LeaseToken
    /// Who holds the camera now ("" when nobody does), and under which epoch.
    public var holder: String?
    public var holderEpoch: Int64?

    public init(camera: UUID, token: LeaseToken, holder: String?, holderEpoch: Int64?) {
        self.camera = camera
        self.token = token
        self.holder = holder
        self.holderEpoch = holderEpoch
    }

    public var description: String {
        let now = holder.map { $0.isEmpty ? "nobody" : $0 } ?? "no lease"
        return "camera \(camera) is no longer held by \(token) (now \(now)\(holderEpoch.map { " epoch \($0)" } ?? "")): write refused"
    }
}

/// A node's name is taken by another live process.
public struct NodeNameInUse: Error, CustomStringConvertible {
    public var name: String
    public var address: String

    public var description: String {
        "node name '\(name)' is in use by a running node at \(address): give this node its own CITYWATCH_NODE_NAME"
    }
}

/// The cluster's state in PostgreSQL: nodes with heartbeats, camera leases with fencing epochs,
/// and footage written without a lease. Every expiry is judged by the database's clock
/// (`now()`), never a node's: a node whose clock is wrong, or that froze, cannot keep or take a
/// camera it should not.
///
/// PostgreSQL only: a single node on SQLite holds every camera without leases.
public struct ClusterStore: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// A node as the cluster sees it.
    public struct Node: Sendable, Equatable, Codable {
        public var name: String
        public var address: String
        /// Cameras it may record (already limited by its analysis capacity).
        public var capacity: Int
        /// Analysis frames a second it may take; nil: no limit set.
        public var analysisFPS: Int?
        public var version: String
        public var draining: Bool
        public var startedAt: Date
        public var heartbeatAt: Date
        /// Set when the node stopped cleanly.
        public var stoppedAt: Date?
        /// Seconds since its last heartbeat, by the database's clock.
        public var silentSeconds: Double
        /// Heartbeat within the live window and not stopped.
        public var alive: Bool
        /// Cameras it holds a live lease on.
        public var cameras: Int
        /// Registered but not yet ready to claim (its recorder still reconciling its disk): the
        /// others hand it nothing meanwhile.
        public var starting: Bool = false
    }

    /// One camera's lease.
    public struct Lease: Sendable, Equatable {
        public var camera: UUID
        /// Empty when let go.
        public var node: String
        public var epoch: Int64
        /// Seconds left (negative: expired), by the database's clock.
        public var secondsLeft: Double
        /// Seconds since the holder took it.
        public var ageSeconds: Double

        public var isLive: Bool { !node.isEmpty && secondsLeft > 0 }
    }

    // MARK: Nodes

    /// Registers node `name` (run `instance` of it), or takes its row back after a restart.
    /// Refused with ``NodeNameInUse`` while another instance of the name has beaten within
    /// `liveSeconds` and not stopped. `starting`: the node cannot claim yet (``setStarted(name:instance:)``
    /// says when it can).
    public func register(name: String, instance: UUID, address: String, capacity: Int, analysisFPS: Int? = nil, version: String,
                         liveSeconds: Double, starting: Bool = false) async throws {
        let rows = try await database.sql.raw("""
            INSERT INTO cluster_nodes (name, instance, address, capacity, analysis_fps, version, draining, started_at, heartbeat_at, stopped_at, starting)
            VALUES (\(bind: name), \(bind: instance), \(bind: address), \(bind: capacity), \(bind: analysisFPS), \(bind: version), false, now(), now(), NULL,
                \(bind: starting))
            ON CONFLICT (name) DO UPDATE SET instance = EXCLUDED.instance, address = EXCLUDED.address, capacity = EXCLUDED.capacity,
                analysis_fps = EXCLUDED.analysis_fps, version = EXCLUDED.version, draining = false, started_at = now(), heartbeat_at = now(), stopped_at = NULL,
                starting = EXCLUDED.starting
            WHERE cluster_nodes.instance = EXCLUDED.instance OR cluster_nodes.stopped_at IS NOT NULL
                OR cluster_nodes.heartbeat_at < now() - make_interval(secs => \(bind: liveSeconds))
            RETURNING name
            """).all()
        if rows.isEmpty {
            let holder = try await database.sql.raw("SELECT address FROM cluster_nodes WHERE name = \(bind: name)").first()
            throw NodeNameInUse(name: name, address: (try? holder?.decode(column: "address", as: String.self)) ?? "?")
        }
    }

    /// Beats for node `name`; returns the database's clock at the beat, nil when another
    /// instance has taken the name since.
    public func heartbeat(name: String, instance: UUID) async throws -> Date? {
        try await database.sql.raw("""
            UPDATE cluster_nodes SET heartbeat_at = now() WHERE name = \(bind: name) AND instance = \(bind: instance) RETURNING heartbeat_at
            """).first()?.decode(column: "heartbeat_at", as: Date.self)
    }

    /// Node `name` (run `instance`) can claim cameras now: the others may hand it some.
    public func setStarted(name: String, instance: UUID) async throws {
        try await database.sql.raw("""
            UPDATE cluster_nodes SET starting = false WHERE name = \(bind: name) AND instance = \(bind: instance)
            """).run()
    }

    /// Marks node `name` stopped (a clean stop: it holds nothing now).
    public func markStopped(name: String, instance: UUID) async throws {
        try await database.sql.raw("""
            UPDATE cluster_nodes SET stopped_at = now() WHERE name = \(bind: name) AND instance = \(bind: instance)
            """).run()
    }

    /// Sets whether node `name` is draining (hands its cameras to the others, takes none);
    /// false when there is no such node.
    @discardableResult
    public func setDraining(_ name: String, _ draining: Bool) async throws -> Bool {
        !(try await database.sql.raw("""
            UPDATE cluster_nodes SET draining = \(bind: draining) WHERE name = \(bind: name) RETURNING name
            """).all()).isEmpty
    }

    /// Every node, live ones first; live means a heartbeat within `liveSeconds`, not stopped.
    public func nodes(liveSeconds: Double) async throws -> [Node] {
        let rows = try await database.sql.raw("""
            SELECT n.name, n.address, n.capacity, n.analysis_fps, n.version, n.draining, n.started_at, n.heartbeat_at, n.stopped_at,
                COALESCE(n.starting, false) AS starting,
                EXTRACT(EPOCH FROM now() - n.heartbeat_at)::float8 AS silent,
                (SELECT count(*) FROM camera_leases l WHERE l.node = n.name AND l.expires_at > now())::int8 AS cameras
            FROM cluster_nodes n ORDER BY n.name
            """).all()
        return try rows.map { row in
            let silent = try row.decode(column: "silent", as: Double.self)
            let stopped = try row.decode(column: "stopped_at", as: Date?.self)
            return Node(name: try row.decode(column: "name", as: String.self), address: try row.decode(column: "address", as: String.self),
                        capacity: try row.decode(column: "capacity", as: Int.self), analysisFPS: try row.decode(column: "analysis_fps", as: Int?.self),
                        version: try row.decode(column: "version", as: String.self),
                        draining: try row.decode(column: "draining", as: Bool.self), startedAt: try row.decode(column: "started_at", as: Date.self),
                        heartbeatAt: try row.decode(column: "heartbeat_at", as: Date.self), stoppedAt: stopped, silentSeconds: silent,
                        alive: stopped == nil && silent < liveSeconds, cameras: Int(try row.decode(column: "cameras", as: Int64.self)),
                        starting: try row.decode(column: "starting", as: Bool.self))
        }.sorted { ($0.alive ? 0 : 1, $0.name) < ($1.alive ? 0 : 1, $1.name) }
    }

    // MARK: Leases

    /// A camera to be recorded somewhere, with the group its holders are spread over.
    public struct Recordable: Sendable, Equatable {
        public var camera: UUID
        /// The site's purpose and a cell of about 500 m: one node's death should not take
        /// most of one school zone's child-protection cameras.
        public var group: String
    }

    /// Every enabled camera with a stream, with its spread group.
    public func recordableCameras() async throws -> [Recordable] {
        try await database.sql.raw("""
            SELECT c.id, s.purpose, s.latitude, s.longitude FROM cameras c
            JOIN camera_streams t ON t.camera_id = c.id JOIN sites s ON s.id = c.site_id WHERE c.enabled
            """).all().map { row in
            let latitude = try row.decode(column: "latitude", as: Double.self), longitude = try row.decode(column: "longitude", as: Double.self)
            return Recordable(camera: try row.decode(column: "id", as: UUID.self),
                              group: "\(try row.decode(column: "purpose", as: String.self)) \(Int((latitude / 0.005).rounded(.down))):\(Int((longitude / 0.006).rounded(.down)))")
        }
    }

    /// Extends every lease `node` holds by `seconds` from now (the database's now), expired ones
    /// included while nobody else took them: after a store outage the holder gets its cameras
    /// back first. Returns what it holds, camera by camera.
    public func renew(node: String, seconds: Double) async throws -> [UUID: LeaseToken] {
        try tokens(try await database.sql.raw("""
            UPDATE camera_leases SET expires_at = now() + make_interval(secs => \(bind: seconds))
            WHERE node = \(bind: node) RETURNING camera_id, node, epoch
            """).all())
    }

    /// Takes each of `cameras` that has no live lease, for `seconds`, with the next epoch.
    /// Returns those taken; of two nodes asking at once, each camera goes to one.
    public func claim(_ cameras: [UUID], node: String, seconds: Double) async throws -> [UUID: LeaseToken] {
        guard !cameras.isEmpty else { return [:] }
        return try tokens(try await database.sql.raw("""
            INSERT INTO camera_leases (camera_id, node, epoch, acquired_at, expires_at)
            SELECT c, \(bind: node), 1, now(), now() + make_interval(secs => \(bind: seconds)) FROM unnest(\(bind: cameras)::uuid[]) AS c
            ON CONFLICT (camera_id) DO UPDATE SET node = EXCLUDED.node, epoch = camera_leases.epoch + 1,
                acquired_at = now(), expires_at = EXCLUDED.expires_at
            WHERE camera_leases.node = '' OR camera_leases.expires_at <= now()
            RETURNING camera_id, node, epoch
            """).all())
    }

    /// Lets go of `cameras` held by `node` (after their recording stopped): the next node to
    /// claim one takes it at once, under the next epoch.
    public func release(_ cameras: [UUID], node: String) async throws {
        guard !cameras.isEmpty else { return }
        try await database.sql.raw("""
            UPDATE camera_leases SET node = '', expires_at = now() WHERE node = \(bind: node) AND camera_id = ANY(\(bind: cameras)::uuid[])
            """).run()
    }

    /// Every lease.
    public func leases() async throws -> [Lease] {
        try await database.sql.raw("""
            SELECT camera_id, node, epoch, EXTRACT(EPOCH FROM expires_at - now())::float8 AS left_s,
                EXTRACT(EPOCH FROM now() - acquired_at)::float8 AS age_s FROM camera_leases
            """).all().map { row in
            Lease(camera: try row.decode(column: "camera_id", as: UUID.self), node: try row.decode(column: "node", as: String.self),
                  epoch: try row.decode(column: "epoch", as: Int64.self), secondsLeft: try row.decode(column: "left_s", as: Double.self),
                  ageSeconds: try row.decode(column: "age_s", as: Double.self))
        }
    }

    /// The live holder of `camera` and its address; nil when nobody holds it now.
    public func holder(of camera: UUID) async throws -> (node: String, address: String)? {
        guard let row = try await database.sql.raw("""
            SELECT l.node, n.address FROM camera_leases l JOIN cluster_nodes n ON n.name = l.node
            WHERE l.camera_id = \(bind: camera) AND l.node <> '' AND l.expires_at > now()
            """).first() else { return nil }
        return (try row.decode(column: "node", as: String.self), try row.decode(column: "address", as: String.self))
    }

    /// Throws ``FencedWrite`` unless `token` is `camera`'s current lease; inside a transaction
    /// the lease row stays locked (shared) until it ends, so the write that follows cannot land
    /// after the lease moved.
    public func requireHolder(_ token: LeaseToken, camera: UUID) async throws {
        let row = try await database.sql.raw("""
            SELECT node, epoch FROM camera_leases WHERE camera_id = \(bind: camera) FOR SHARE
            """).first()
        let node = try row?.decode(column: "node", as: String.self)
        let epoch = try row?.decode(column: "epoch", as: Int64.self)
        guard node == token.node, epoch == token.epoch else {
            throw FencedWrite(camera: camera, token: token, holder: node, holderEpoch: epoch)
        }
    }

    private func tokens(_ rows: [any SQLRow]) throws -> [UUID: LeaseToken] {
        Dictionary(try rows.map { row in
            (try row.decode(column: "camera_id", as: UUID.self),
             LeaseToken(node: try row.decode(column: "node", as: String.self), epoch: try row.decode(column: "epoch", as: Int64.self)))
        }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Unadopted footage

    /// Footage a node wrote for a camera it no longer held (or could not prove it held).
    public struct Unadopted: Sendable, Equatable, Codable {
        public var camera: UUID
        public var node: String
        public var path: String
        public var start: Date
        public var end: Date
        public var bytes: Int64
        public var reason: String
        public var foundAt: Date

        public init(camera: UUID, node: String, path: String, start: Date, end: Date, bytes: Int64, reason: String, foundAt: Date) {
            self.camera = camera
            self.node = node
            self.path = path
            self.start = start
            self.end = end
            self.bytes = bytes
            self.reason = reason
            self.foundAt = foundAt
        }
    }

    /// Reports a file as unadopted footage (once per node and path). Works on SQLite too.
    public func recordUnadopted(_ footage: Unadopted) async throws {
        try await database.sql.raw("""
            INSERT INTO unadopted_footage (id, camera_id, node, path, start_at, end_at, bytes, reason, found_at)
            VALUES (\(bind: UUID()), \(bind: footage.camera), \(bind: footage.node), \(bind: footage.path), \(bind: footage.start),
                \(bind: footage.end), \(bind: footage.bytes), \(bind: footage.reason), \(bind: footage.foundAt))
            ON CONFLICT (node, path) DO NOTHING
            """).run()
    }

    /// The files reported unadopted for `camera` on `node`.
    public func unadoptedPaths(camera: UUID, node: String) async throws -> [String] {
        try await database.sql.raw("""
            SELECT path FROM unadopted_footage WHERE camera_id = \(bind: camera) AND node = \(bind: node)
            """).all().map { try $0.decode(column: "path", as: String.self) }
    }

    /// Unadopted footage, newest first.
    public func unadopted(limit: Int = 200) async throws -> [Unadopted] {
        try await database.sql.raw("""
            SELECT camera_id, node, path, start_at, end_at, bytes, reason, found_at FROM unadopted_footage
            ORDER BY found_at DESC LIMIT \(bind: limit)
            """).all().map { row in
            Unadopted(camera: try row.decode(column: "camera_id", as: UUID.self), node: try row.decode(column: "node", as: String.self),
                      path: try row.decode(column: "path", as: String.self), start: try row.decode(column: "start_at", as: Date.self),
                      end: try row.decode(column: "end_at", as: Date.self), bytes: try row.decode(column: "bytes", as: Int64.self),
                      reason: try row.decode(column: "reason", as: String.self), foundAt: try row.decode(column: "found_at", as: Date.self))
        }
    }
}
