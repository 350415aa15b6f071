import CityWatchStore
import Foundation
import ServiceLifecycle
import Synchronization

/// The cameras this node holds a lease on, and under which epoch: the recorder records these
/// and no others, and every write it makes for one carries its token. Kept by
/// ``ClusterMembership``; a single node on SQLite has none (it records every camera).
public final class CameraOwnership: Sendable {
    /// This node's name in the cluster.
    public let node: String
    private let held = Mutex<[UUID: LeaseToken]>([:])
    private let joinedCluster = Mutex(false)
    private let recorderReady = Mutex(false)

    public init(node: String) {
        self.node = node
    }

    /// Whether this process has joined the cluster as `node`. Until it has, the name may be
    /// another running process's, whose footage is not this one's to reconcile or sweep.
    public var hasJoined: Bool { joinedCluster.withLock { $0 } }

    func markJoined() { joinedCluster.withLock { $0 = true } }

    /// Whether the recorder is ready to take cameras: it has reconciled the index with the disk
    /// and stores what its pipelines report. A node claims none before (a restarted node may
    /// have hundreds of files to probe first).
    public var isRecorderReady: Bool { recorderReady.withLock { $0 } }

    func markRecorderReady() { recorderReady.withLock { $0 = true } }

    /// Waits until this process has joined the cluster; false when it is stopping first.
    public func waitUntilJoined() async -> Bool {
        while !hasJoined {
            if Task.isCancelled || Task.isShuttingDownGracefully { return false }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return true
    }

    /// Every camera held now.
    public var tokens: [UUID: LeaseToken] { held.withLock { $0 } }

    /// The lease camera `id` is held under, if it is.
    public func token(for id: UUID) -> LeaseToken? { held.withLock { $0[id] } }

    /// Replaces what is held.
    func set(_ tokens: [UUID: LeaseToken]) { held.withLock { $0 = tokens } }

    /// Adds cameras just claimed.
    func add(_ tokens: [UUID: LeaseToken]) { held.withLock { $0.merge(tokens) { _, new in new } } }

    /// Forgets cameras let go or lost.
    func remove(_ cameras: some Sequence<UUID>) {
        held.withLock { state in for camera in cameras { state[camera] = nil } }
    }
}
