import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// How the storage tiers stand on this node: what each holds, its disk, and how moving goes.
/// Read for `GET /api/storage`, `/metrics` and `citywatch archive status`.
public struct StorageReport: Sendable {
    /// One tier.
    public struct Tier: Sendable {
        public var tier: StorageTier
        public var folder: String
        public var totals: RecordingRepository.TierTotals
        public var quotaBytes: Int64?
        public var disk: DiskSpace?
    }

    public var node: String?
    public var hot: Tier
    /// Nil when no archive is configured.
    public var archive: Tier?
    /// This node's mover (nil when no archive is configured or this process does not record).
    public var moving: TierMover.Status?
    public var archiveAfterHours: Double
    public var hotMoveBelowFreePercent: Double
    public var refuseBelowFreePercent: Double

    /// Reads it. `node`: this node's name in a cluster (its hot tier is its own; the archive is everyone's).
    public static func read(database: any Database, configuration: Configuration, node: String?, mover: TierMover?) async throws -> StorageReport {
        let repository = RecordingRepository(database: database)
        let hot = Tier(tier: .hot, folder: configuration.recordingsDirectory, totals: try await repository.totals(tier: .hot, node: node),
                       quotaBytes: configuration.recordingQuotaBytes, disk: DiskSpace.of(configuration.recordingsDirectory))
        var archive: Tier?
        if let folder = configuration.archiveDirectory {
            archive = Tier(tier: .archive, folder: folder, totals: try await repository.totals(tier: .archive),
                           quotaBytes: configuration.archiveQuotaBytes, disk: DiskSpace.of(folder))
        }
        return StorageReport(node: node, hot: hot, archive: archive, moving: mover?.current,
                             archiveAfterHours: configuration.archiveAfterHours,
                             hotMoveBelowFreePercent: configuration.hotMoveBelowFreePercent,
                             refuseBelowFreePercent: configuration.tierRefuseBelowFreePercent)
    }
}
