import Foundation

/// Where a recorded segment's file lives.
public enum StorageTier: String, Sendable, Codable, CaseIterable {
    /// The recording node's own folder (fast disks, recent footage).
    case hot
    /// The shared archive (bulk storage every node of a cluster mounts at the same path).
    case archive
}
