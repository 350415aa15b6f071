import CityWatchApp
import CityWatchMedia
import CityWatchStore
import Fluent
import Foundation
import NIOCore
import Vapor

/// What one node asks of another: never a user's request. Each needs a signature made with the
/// cluster secret (``ClusterSecret``); without one, or on a node with no secret, 401.
/// The viewer's own node checks the viewer's rights and writes the audit entries; these routes
/// serve only the node that asked.
struct ClusterPeerController: RouteCollection {
    static let peerSignature = Access.credential("cluster secret (X-CityWatch-Peer signature)")

    func boot(routes: any RoutesBuilder) throws {
        let peer = routes.grouped("api", "cluster", "peer")
        peer.endpoint(.GET, "ping", access: Self.peerSignature, use: ping)
        peer.endpoint(.GET, "cameras", ":id", "live", access: Self.peerSignature, use: live)
        peer.endpoint(.GET, "segments", ":id", access: Self.peerSignature, use: segment)
        peer.endpoint(.GET, "exports", ":id", access: Self.peerSignature, use: export)
    }

    struct PingDTO: Content {
        var node: String
        /// The node that asked, as its signature names it.
        var asker: String
        var camerasHeld: Int
    }

    func ping(req: Request) async throws -> PingDTO {
        let (peers, asker) = try req.requirePeer()
        return PingDTO(node: peers.node, asker: asker, camerasHeld: req.application.cluster?.ownership.tokens.count ?? 0)
    }

    /// The camera's live fragmented MP4, as this node's pipeline makes it, for as long as the
    /// asking node reads it (it ends when the camera stops being recorded here).
    func live(req: Request) async throws -> Response {
        let (peers, _) = try req.requirePeer()
        let camera = try req.uuidParameter("id")
        guard let hub = req.application.recording?.pipeline(for: camera)?.live else {
            throw Abort(.conflict, reason: "camera \(camera) is not recorded on node \(peers.node)")
        }
        let relays = req.cityWatch.liveViewers
        let response = Response(status: .ok, body: .init(asyncStream: { writer in
            await relays.relaying {
                await hub.watch { messages in
                    for await message in messages {
                        let bytes: [UInt8]
                        switch message {
                        case .initialization(let initialization, _): bytes = initialization
                        case .fragment(let fragment): bytes = fragment
                        }
                        // The asking node went away: stop reading.
                        do { try await writer.write(.buffer(ByteBuffer(bytes: bytes))) } catch { return }
                    }
                }
            }
            try? await writer.write(.end)
        }))
        response.headers.contentType = HTTPMediaType(type: "video", subType: "mp4")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The zip of an evidence export this node made (the asking node checks the user's rights
    /// against its manifest and audit-logs the download).
    func export(req: Request) async throws -> Response {
        let (peers, _) = try req.requirePeer()
        let id = try req.uuidParameter("id")
        let evidence = EvidenceService(database: req.db, configuration: req.cityWatch.configuration, clock: req.cityWatch.clock)
        let folder = (evidence.exportsDirectory as NSString).appendingPathComponent(id.uuidString.lowercased())
        guard FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(EvidenceManifest.manifestName)) else {
            throw Abort(.notFound, reason: "no export \(id) on node \(peers.node)")
        }
        let response = try await req.fileio.asyncStreamFile(at: try await evidence.zipped(exportID: id))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "zip")
        return response
    }

    /// A segment file this node wrote.
    func segment(req: Request) async throws -> Response {
        let (peers, _) = try req.requirePeer()
        let id = try req.uuidParameter("id")
        guard let segment = try await SegmentModel.find(id, on: req.db), segment.status == "ok" else {
            throw Abort(.notFound, reason: "no recording \(id)")
        }
        guard segment.node == nil || segment.node == peers.node else {
            throw Abort(.notFound, reason: "recording \(id) was written by node \(segment.node ?? "?"), not \(peers.node)")
        }
        guard FileManager.default.fileExists(atPath: segment.path) else {
            throw Abort(.notFound, reason: "the file of recording \(id) is no longer on node \(peers.node) (retention may have deleted it)")
        }
        let response = try await req.fileio.asyncStreamFile(at: segment.path)
        response.headers.contentType = HTTPMediaType(type: "video", subType: "mp4")
        return response
    }
}

extension Request {
    /// This node's peers and the name of the node that signed the request; 401 without a valid
    /// signature (logged: a peer with another secret is a configuration fault to fix).
    func requirePeer() throws -> (ClusterPeers, String) {
        guard let peers = application.clusterPeers else {
            throw Abort(.unauthorized, reason: "this node is not part of a cluster")
        }
        switch peers.verify(headers.first(name: ClusterSecret.header), method: method.rawValue, path: url.string) {
        case .success(let node): return (peers, node)
        case .failure(let refusal): throw Abort(.unauthorized, reason: refusal.description)
        }
    }
}

extension Application {
    private struct ClusterPeersKey: StorageKey {
        typealias Value = ClusterPeers
    }

    /// This node's dealings with the other nodes (live relays, remote segments), when it is a
    /// node of a cluster.
    public var clusterPeers: ClusterPeers? {
        get { storage[ClusterPeersKey.self] }
        set { storage[ClusterPeersKey.self] = newValue }
    }
}
