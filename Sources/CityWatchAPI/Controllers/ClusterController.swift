import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

/// The cluster's nodes (administrator): health, capacity, cameras held, footage written without
/// a lease, and draining a node before maintenance.
struct ClusterController: RouteCollection {
    static let administrators = Access.only(.administrator)

    func boot(routes: any RoutesBuilder) throws {
        let nodes = routes.grouped("api", "cluster", "nodes")
        nodes.endpoint(.GET, access: Self.administrators, use: list)
        nodes.endpoint(.PUT, ":name", "draining", access: Self.administrators, use: setDraining)
    }

    struct NodeDTO: Content {
        var name: String
        var address: String
        /// Cameras it takes (its analysis capacity may hold this below CITYWATCH_NODE_CAPACITY).
        var capacity: Int
        /// Analysis frames a second it may take; absent: no limit set.
        var analysisFPS: Int?
        var version: String
        var draining: Bool
        /// Registered, not yet able to take cameras (its recorder reconciling its disk).
        var starting: Bool
        var alive: Bool
        var silentSeconds: Double
        var cameras: Int
        var startedAt: Date
        var heartbeatAt: Date
        var stoppedAt: Date?
        /// True for the node that answered.
        var answering: Bool
        /// The answering node's own view of itself: `active`, `storeUnreachable`, `nameInUse`, …
        var state: String?
        var stateDetail: String?
        /// The answering node's link to this peer: `ok`, `unreachable`, `refused`, `noSecret`.
        var link: String?
        var linkDetail: String?
    }

    struct UnadoptedDTO: Content {
        var cameraId: UUID
        var node: String
        var path: String
        var from: Date
        var to: Date
        var bytes: Int64
        var reason: String
        var foundAt: Date
    }

    struct ClusterDTO: Content {
        /// False on a single node (SQLite): it records every camera, with no leases.
        var clustered: Bool
        var leaseSeconds: Int
        var nodes: [NodeDTO]
        var unadopted: [UnadoptedDTO]
    }

    struct DrainingRequest: Content, StrictContent {
        static let allowedKeys: Set<String> = ["draining"]
        var draining: Bool
    }

    func list(req: Request) async throws -> ClusterDTO {
        let configuration = req.cityWatch.configuration
        guard req.db.isPostgres else { return ClusterDTO(clustered: false, leaseSeconds: configuration.leaseSeconds, nodes: [], unadopted: []) }
        let store = ClusterStore(database: req.db)
        let membership = req.application.cluster
        let links = req.application.clusterPeers?.peerLinks ?? [:]
        let nodes = try await store.nodes(liveSeconds: Double(configuration.leaseSeconds)).map { node in
            let own = membership.flatMap { $0.ownership.node == node.name ? $0.state : nil }
            let link = node.alive ? links[node.name] : nil
            return NodeDTO(name: node.name, address: node.address, capacity: node.capacity, analysisFPS: node.analysisFPS, version: node.version, draining: node.draining,
                           starting: node.starting, alive: node.alive, silentSeconds: (node.silentSeconds * 10).rounded() / 10, cameras: node.cameras,
                           startedAt: node.startedAt, heartbeatAt: node.heartbeatAt, stoppedAt: node.stoppedAt, answering: own != nil,
                           state: own?.state.rawValue, stateDetail: own?.detail, link: link?.state, linkDetail: link?.detail)
        }
        let unadopted = try await store.unadopted(limit: 100).map {
            UnadoptedDTO(cameraId: $0.camera, node: $0.node, path: $0.path, from: $0.start, to: $0.end, bytes: $0.bytes, reason: $0.reason, foundAt: $0.foundAt)
        }
        return ClusterDTO(clustered: true, leaseSeconds: configuration.leaseSeconds, nodes: nodes, unadopted: unadopted)
    }

    /// Drains a node (it hands every camera to the others and takes none) or lets it take cameras again.
    func setDraining(req: Request) async throws -> ClusterDTO {
        let user = try req.requireUser()
        let body = try req.decodeStrict(DrainingRequest.self)
        guard let name = req.parameters.get("name"), !name.isEmpty, name.count <= 64 else { throw Abort(.badRequest, reason: "a node name is 1-64 characters") }
        guard req.db.isPostgres else { throw Abort(.conflict, reason: "a single node (SQLite) is not a cluster: there is nothing to drain to") }
        guard try await ClusterStore(database: req.db).setDraining(name, body.draining) else { throw Abort(.notFound, reason: "no node '\(name)'") }
        try await req.audit.append(AuditEvent(actor: user.username, action: body.draining ? "cluster.drain" : "cluster.undrain", target: name))
        return try await list(req: req)
    }
}

extension Application {
    private struct ClusterKey: StorageKey {
        typealias Value = ClusterMembership
    }

    /// This node's membership of the cluster, when it is a node of one (serve on PostgreSQL).
    public var cluster: ClusterMembership? {
        get { storage[ClusterKey.self] }
        set { storage[ClusterKey.self] = newValue }
    }
}
