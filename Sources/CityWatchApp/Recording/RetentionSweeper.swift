import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle

/// Deletes footage past its retention period, and the oldest footage when the recordings
/// outgrow their disk quota — never footage under a legal hold. Every deletion batch is
/// written to the audit log.
///
/// With an archive tier the days count across both tiers: a segment expires where it is. Each
/// tier's quota and free-space watermark (``Configuration/tierRefuseBelowFreePercent``) free
/// its own oldest footage; the hot tier's only while the archive cannot take it (otherwise the
/// ``TierMover`` moves it there instead). The archive is shared: every node sweeps it, and a
/// segment another node deleted first is simply gone.
///
/// How long a camera's footage is kept: the camera's own setting, else its purpose's
/// (`retention.purpose.<code>` in the settings), else the registry's 보관일수 for its site,
/// else the installation default (30 days).
public final class RetentionSweeper: Service, Sendable {
    /// What one sweep did.
    public struct Report: Sendable, Equatable {
        public var expired = 0
        public var overQuota = 0
        public var bytesFreed: Int64 = 0
        public var bytesAfter: Int64 = 0
        public var quotaBlockedByHolds = false
        /// Of `expired` and `overQuota`, those in the archive tier.
        public var archiveExpired = 0
        public var archiveOverQuota = 0
        /// Events (with their snapshots), motion minutes and track summaries past retention.
        public var analytics = AnalyticsRepository.Expired()
        /// Evidence exports past their days (``Configuration/exportKeepDays``) on this node.
        public var exports = EvidenceService.ExportSweep()
    }

    let database: @Sendable () -> any Database
    let configuration: Configuration
    let clock: @Sendable () -> Date
    let logger: Logger
    /// This node's name in a cluster: it sweeps the segments on its own disk (nil: every segment).
    let node: String?
    /// On a node of a cluster: what it holds, and whether it has joined yet.
    let ownership: CameraOwnership?
    /// The archive tier, when there is one.
    let archive: ArchiveTier?
    /// Shared with the ``TierMover``: a sweep and a move never change the same footage at once.
    let footage: OneAtATime

    public init(database: @escaping @Sendable () -> any Database, configuration: Configuration, node: String? = nil,
                ownership: CameraOwnership? = nil, archive: ArchiveTier? = nil, footage: OneAtATime = OneAtATime(),
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "citywatch.retention")) {
        self.database = database
        self.node = node
        self.ownership = ownership
        self.archive = archive
        self.footage = footage
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        // A node sweeps the footage of its name only once it has joined under it (see RecordingService.run).
        if let ownership, await !ownership.waitUntilJoined() { return }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { _ = try await self.sweep() } catch {
                    self.logger.error("retention sweep failed", metadata: ["error": .string("\(error)")])
                }
                try? await Task.sleep(for: .seconds(self.configuration.retentionSweepMinutes * 60))
            }
        }
    }

    /// Purpose codes to days, from the settings.
    public static func purposeDays(_ settings: [String: String]) -> [String: Int] {
        var days: [String: Int] = [:]
        for (key, value) in settings {
            guard let number = Int(value), number > 0 else { continue }
            days[String(key.dropFirst("retention.purpose.".count))] = number
        }
        return days
    }

    /// Runs one sweep now.
    public func sweep() async throws -> Report {
        try await footage.run { try await sweepNow() }
    }

    private func sweepNow() async throws -> Report {
        let db = database()
        let now = clock()
        let purposeDays = Self.purposeDays(try await Settings(database: db).all(prefixed: "retention.purpose."))
        let (sites, cameras) = try await RegistryRepository(database: db).loadAll()
        let siteByID = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, $0) })
        let overrides = Dictionary(try await CameraModel.query(on: db).all().compactMap { model in
            model.retentionDays.map { (model.id!, $0) }
        }, uniquingKeysWith: { a, _ in a })
        var days: [UUID: Int] = [:]
        for camera in cameras {
            let site = siteByID[camera.siteID]
            days[camera.id] = overrides[camera.id] ?? site.flatMap { purposeDays[$0.record.purpose.code] }
                ?? site?.record.retentionDayCount.flatMap { $0 > 0 ? $0 : nil } ?? configuration.defaultRetentionDays
        }
        let repository = RecordingRepository(database: db)
        let holds = try await repository.retentionHolds()
        var report = Report()
        report.analytics = try await expireAnalytics(days: days, holds: holds, now: now)
        report.exports = try await ExportSweeper.expire(database: db, configuration: configuration, clock: clock, node: node,
                                                        holds: holds, logger: logger)

        // The archive first: what it frees is room the hot tier's oldest footage can move to.
        var archiveTakesFootage = false
        if let archive {
            let archived = try await repository.totals(tier: .archive)
            let availability = archive.availability(archived: archived.segments, node: node ?? configuration.nodeName, now: now)
            if availability == .ok {
                let segments = try await repository.allSegmentsOldestFirst(tier: .archive)
                // What the hot tier must shed is newer than anything archived: oldest first, the
                // archive makes room for it.
                let hot = try await repository.totals(tier: .hot, node: node)
                let due = TierMover.hotExcess(configuration, hotBytes: hot.bytes)
                let quota = Self.keepLimit(quota: archive.quotaBytes, holding: archived.bytes, room: due,
                                           disk: DiskSpace.of(archive.folder), watermark: archive.refuseBelowFreePercent)
                let done = try await delete(plan(segments, days: days, holds: holds, quota: quota, now: now), of: segments,
                                            tier: .archive, db: db)
                report.archiveExpired = done.expired
                report.archiveOverQuota = done.overQuota
                report.expired += done.expired
                report.overQuota += done.overQuota
                report.bytesFreed += done.bytesFreed
                report.quotaBlockedByHolds = done.quotaBlockedByHolds
                let after = try await repository.totals(tier: .archive)
                archiveTakesFootage = archive.state(archived: after, node: node ?? configuration.nodeName, now: now) == .ok
            }
        }
        let segments = try await repository.allSegmentsOldestFirst(node: node, tier: archive == nil ? nil : .hot)
        // While the archive takes footage the mover relieves the hot tier; else its oldest goes
        // (to its quota and, with an archive configured, its free-space watermark too).
        let quota: Int64? = if archiveTakesFootage {
            nil
        } else if archive == nil {
            configuration.recordingQuotaBytes
        } else {
            Self.keepLimit(quota: configuration.recordingQuotaBytes, holding: segments.reduce(0) { $0 + $1.bytes },
                           disk: DiskSpace.of(configuration.recordingsDirectory), watermark: configuration.tierRefuseBelowFreePercent)
        }
        let done = try await delete(plan(segments, days: days, holds: holds, quota: quota, now: now), of: segments, tier: .hot, db: db)
        report.expired += done.expired
        report.overQuota += done.overQuota
        report.bytesFreed += done.bytesFreed
        report.bytesAfter = done.bytesAfter
        report.quotaBlockedByHolds = report.quotaBlockedByHolds || done.quotaBlockedByHolds
        if report.quotaBlockedByHolds {
            logger.warning("recordings exceed the disk quota but what is left is under legal hold")
        }
        return report
    }

    /// The bytes a tier holding `bytes` may keep so that `room` more fit within its `quota` and
    /// above `watermark` % free on `disk`; nil when neither limits it.
    static func keepLimit(quota: Int64?, holding bytes: Int64, room: Int64 = 0, disk: DiskSpace?, watermark: Double) -> Int64? {
        var limit = quota.map { max(0, $0 - room) }
        if let disk {
            let short = disk.bytesShort(ofFreePercent: watermark, plus: room)
            if short > 0 {
                let keep = max(0, bytes - short)
                limit = min(limit ?? keep, keep)
            }
        }
        return limit
    }

    private func plan(_ segments: [SegmentModel], days: [UUID: Int], holds: [RetentionPlanner.Hold], quota: Int64?, now: Date) -> RetentionPlanner.Plan {
        RetentionPlanner(retentionDays: days, defaultDays: configuration.defaultRetentionDays, quotaBytes: quota)
            .plan(segments: segments.map { .init(id: $0.id!, cameraID: $0.cameraID, start: $0.start, end: $0.end, bytes: $0.bytes) },
                  holds: holds, now: now)
    }

    /// What deleting one tier's planned segments did.
    private struct Deleted {
        var expired = 0
        var overQuota = 0
        var bytesFreed: Int64 = 0
        var bytesAfter: Int64 = 0
        var quotaBlockedByHolds = false
    }

    /// Deletes `plan`'s segments of `tier` (files, then rows) and writes the batch to the audit log.
    private func delete(_ plan: RetentionPlanner.Plan, of segments: [SegmentModel], tier: StorageTier, db: any Database) async throws -> Deleted {
        var done = Deleted(bytesAfter: plan.bytesAfter, quotaBlockedByHolds: plan.quotaBlockedByHolds)
        guard !plan.deletions.isEmpty else { return done }
        let byID = Dictionary(uniqueKeysWithValues: segments.map { ($0.id!, $0) })
        var deleted: [UUID] = []
        var camerasTouched = Set<UUID>()
        for (id, reason) in plan.deletions {
            guard let segment = byID[id] else { continue }
            do {
                if FileManager.default.fileExists(atPath: segment.path) { try FileManager.default.removeItem(atPath: segment.path) }
            } catch {
                logger.error("cannot delete a segment", metadata: ["path": .string(segment.path), "error": .string("\(error)")])
                continue
            }
            deleted.append(id)
            camerasTouched.insert(segment.cameraID)
            done.bytesFreed += segment.bytes
            if reason == .expired { done.expired += 1 } else { done.overQuota += 1 }
        }
        try await RecordingRepository(database: db).deleteSegments(deleted)
        var details: [String: AuditValue] = [
            "expired": .int(Int64(done.expired)), "overQuota": .int(Int64(done.overQuota)),
            "bytes": .int(done.bytesFreed), "cameras": .int(Int64(camerasTouched.count))]
        if archive != nil { details["tier"] = .string(tier.rawValue) }
        try await AuditLog(database: db, clock: clock).append(AuditEvent(
            actor: "system", action: "retention.delete", target: "\(deleted.count) segments", details: details))
        logger.notice("retention deleted segments", metadata: [
            "tier": .string(tier.rawValue), "expired": .stringConvertible(done.expired), "overQuota": .stringConvertible(done.overQuota)])
        return done
    }

    /// Event snapshots are footage and the metadata describes it: both go when the camera's
    /// retention days are over, like its segments, unless under a legal hold.
    private func expireAnalytics(days: [UUID: Int], holds: [RetentionPlanner.Hold], now: Date) async throws -> AnalyticsRepository.Expired {
        let db = database()
        let repository = AnalyticsRepository(database: db)
        var total = AnalyticsRepository.Expired()
        for (camera, keep) in days {
            let cutoff = now.addingTimeInterval(-Double(keep) * 86_400)
            let expired = try await repository.expire(camera: camera, before: cutoff,
                                                      holds: holds.filter { $0.cameraID == camera }.map { ($0.from, $0.to) })
            for path in expired.snapshotPaths { try? FileManager.default.removeItem(atPath: path) }
            total.events += expired.events
            total.motionMinutes += expired.motionMinutes
            total.tracks += expired.tracks
            total.snapshotPaths += expired.snapshotPaths
        }
        if total.events + total.motionMinutes + total.tracks > 0 {
            try await AuditLog(database: db, clock: clock).append(AuditEvent(
                actor: "system", action: "retention.delete.analytics", target: "\(total.events) events",
                details: ["events": .int(Int64(total.events)), "snapshots": .int(Int64(total.snapshotPaths.count)),
                          "motionMinutes": .int(Int64(total.motionMinutes)), "tracks": .int(Int64(total.tracks))]))
        }
        return total
    }
}

extension RecordingRepository {
    /// The active legal holds as retention plans with them: what keeps footage, and exports of
    /// it, from being deleted.
    public func retentionHolds() async throws -> [RetentionPlanner.Hold] {
        try await activeHolds().map { RetentionPlanner.Hold(cameraID: $0.cameraID, from: $0.from, to: $0.to) }
    }
}
