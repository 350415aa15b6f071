import CityWatchStore
import Foundation
import Synchronization

/// The cameras this node holds a lease on, and under which epoch: the recorder records these
/// and no others, and every write it makes for one carries its token. Kept by
/// ``ClusterMembership``; a single node on SQLite has none (it records every camera).
public final class CameraOwnership: Sendable {
    /// This node's name in the cluster.
    public let node: String
    private let held = Mutex<[UUID: LeaseToken]>([:])

    public init(node: String) {
        self.node = node
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
