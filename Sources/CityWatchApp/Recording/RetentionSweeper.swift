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
        /// Events (with their snapshots), motion minutes and track summaries past retention.
        public var analytics = AnalyticsRepository.Expired()
    }

    let database: @Sendable () -> any Database
    let configuration: Configuration
    let clock: @Sendable () -> Date
    let logger: Logger
    /// This node's name in a cluster: it sweeps the segments on its own disk (nil: every segment).
    let node: String?
    /// On a node of a cluster: what it holds, and whether it has joined yet.
    let ownership: CameraOwnership?

    public init(database: @escaping @Sendable () -> any Database, configuration: Configuration, node: String? = nil,
                ownership: CameraOwnership? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "citywatch.retention")) {
        self.database = database
        self.node = node
        self.ownership = ownership
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
        let segments = try await repository.allSegmentsOldestFirst(node: node)
        let holds = try await repository.activeHolds().map { RetentionPlanner.Hold(cameraID: $0.cameraID, from: $0.from, to: $0.to) }
        let planner = RetentionPlanner(retentionDays: days, defaultDays: configuration.defaultRetentionDays, quotaBytes: configuration.recordingQuotaBytes)
        let plan = planner.plan(segments: segments.map { .init(id: $0.id!, cameraID: $0.cameraID, start: $0.start, end: $0.end, bytes: $0.bytes) },
                                holds: holds, now: now)
        var report = Report(bytesAfter: plan.bytesAfter, quotaBlockedByHolds: plan.quotaBlockedByHolds)
        report.analytics = try await expireAnalytics(days: days, holds: holds, now: now)
        if plan.quotaBlockedByHolds {
            logger.warning("recordings exceed the disk quota but what is left is under legal hold")
        }
        guard !plan.deletions.isEmpty else { return report }
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
            report.bytesFreed += segment.bytes
            if reason == .expired { report.expired += 1 } else { report.overQuota += 1 }
        }
        try await repository.deleteSegments(deleted)
        try await AuditLog(database: db, clock: clock).append(AuditEvent(
            actor: "system", action: "retention.delete", target: "\(deleted.count) segments",
            details: ["expired": .int(Int64(report.expired)), "overQuota": .int(Int64(report.overQuota)),
                      "bytes": .int(report.bytesFreed), "cameras": .int(Int64(camerasTouched.count))]))
        logger.notice("retention deleted segments", metadata: ["expired": .stringConvertible(report.expired), "overQuota": .stringConvertible(report.overQuota)])
        return report
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
