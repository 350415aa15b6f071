import CityWatchMedia
import CityWatchStore
import Foundation

/// An export destroyed before its days are over: the privacy law asks that a copy of footage be
/// destroyed once its purpose is met (the police have what they asked for, the case is closed),
/// not only when the days exports are kept run out.
extension EvidenceService {
    /// The audit action of an export's early destruction (actor: who destroyed it).
    public static let destroyedAction = "video.export.destroy"
    /// The audit action of a node removing its copy of a destroyed export (actor `system`).
    public static let destroyedCopyAction = "video.export.destroy.copy"

    /// Why an export cannot be destroyed.
    public enum DestructionProblem: Error, Equatable, CustomStringConvertible {
        case reasonRequired
        /// No node has an export of this id (or the user may not see its cameras).
        case noExport(UUID)
        /// It is deleted already.
        case deleted(UUID, Deletion)
        /// A legal hold covers footage it holds.
        case held(UUID, camera: UUID)
        /// Live nodes of the cluster ("name (registered version)") were built before early
        /// destruction and would go on giving out their copies.
        case olderNodes([String])

        public var description: String {
            switch self {
            case .reasonRequired: "say why the export is destroyed before its days are over (3–500 characters)"
            case .noExport(let id): "no export \(id)"
            case let .deleted(id, deletion): deletion.explanation(id)
            case let .held(id, camera):
                "export \(id) holds footage of camera \(camera) that a legal hold keeps; release the hold first"
            case .olderNodes(let nodes):
                (nodes.count == 1 ? "node \(nodes[0]) was" : "nodes \(nodes.joined(separator: ", ")) were")
                    + " built before exports could be destroyed early and would go on giving out a copy; finish the rolling"
                    + " upgrade (drain, stop and start each node on this version) and destroy it then"
            }
        }
    }

    /// Destroys export `id` now, on every node that holds a copy: this node's folder and zip
    /// go at once, after its `video.export.destroy` audit line (who, why, what it held); the
    /// other nodes see that line, refuse downloads from then on and remove their copies at their
    /// next sweep. `visible` says whether the user may know of an export with these cameras.
    public func destroyExport(_ id: UUID, reason: String, actor: String, holds: [RetentionPlanner.Hold], node: String? = nil,
                              visible: (EvidenceManifest) -> Bool) async throws -> Deletion {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...500).contains(why.count) else { throw DestructionProblem.reasonRequired }
        if let deletion = try await deletion(of: id) { throw DestructionProblem.deleted(id, deletion) }
        // Made on another node: its copy is fetched to read the manifest (what it holds).
        guard let folder = try await localExport(id), let manifest = EvidenceManifest.read(folder: folder), visible(manifest)
        else { throw DestructionProblem.noExport(id) }
        if let camera = Self.heldCamera(manifest, by: holds) { throw DestructionProblem.held(id, camera: camera) }
        if database.isPostgres {
            let older = try await ClusterStore(database: database).nodes(liveSeconds: Double(configuration.leaseSeconds))
                .filter { $0.alive && ClusterNodeVersion.level(of: $0.version) < ClusterNodeVersion.destroysExports }
            if !older.isEmpty { throw DestructionProblem.olderNodes(older.map { "\($0.name) (\($0.version))" }) }
        }
        var details = Self.deletionDetails(made: manifest.createdAt, manifest: manifest, node: node)
        details["reason"] = .string(why)
        let now = clock()
        guard try await removeExport(id, logging: AuditEvent(actor: actor, action: Self.destroyedAction, target: id.uuidString, details: details))
        else {
            throw MediaFailure(operation: "destroy export \(id)", status: errno, message: String(cString: strerror(errno)))
        }
        return Deletion(deletedAt: now, cameras: manifest.cameras.map(\.cameraId), destroyedBy: actor, reason: why)
    }
}
