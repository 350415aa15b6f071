import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import Foundation
import Vapor

/// The storage tiers of this node: `GET /api/storage`.
struct StorageController: RouteCollection {
    static let readers = Access.only(.administrator, .maintenance, .privacyOfficer)

    func boot(routes: any RoutesBuilder) throws {
        routes.endpoint(.GET, "api", "storage", access: Self.readers, use: storage)
    }

    func storage(req: Request) async throws -> StorageDTO {
        let recording = req.application.recording
        let report = try await StorageReport.read(database: req.db, configuration: req.cityWatch.configuration,
                                                  node: recording?.ownership?.node, mover: recording?.mover)
        return StorageDTO(report, now: req.cityWatch.clock())
    }
}

/// `GET /api/storage`.
struct StorageDTO: Content {
    struct Tier: Content {
        var tier: String
        var folder: String
        var segments: Int
        var bytes: Int64
        var oldest: Date?
        var quotaBytes: Int64?
        var diskTotalBytes: Int64?
        var diskFreeBytes: Int64?
        var diskFreePercent: Double?
    }

    struct Moving: Content {
        /// `ok`, `unavailable`, `full`, or `unknown` before the first look (or `off`: this process does not record).
        var state: String
        var reason: String?
        var since: Date?
        var moves: Int
        var bytesMoved: Int64
        var failures: Int
        var lastFailure: String?
        var duePending: Int
        var lagSeconds: Double
        var bytesPerSecond: Double
        var lastPassAt: Date?
    }

    /// This node's name in a cluster.
    var node: String?
    var tiers: [Tier]
    /// Nil when no archive is configured.
    var archive: Moving?
    var archiveAfterHours: Double
    var hotMoveBelowFreePercent: Double
    var refuseBelowFreePercent: Double

    init(_ report: StorageReport, now: Date) {
        func tier(_ tier: StorageReport.Tier) -> Tier {
            Tier(tier: tier.tier.rawValue, folder: tier.folder, segments: tier.totals.segments, bytes: tier.totals.bytes,
                 oldest: tier.totals.oldest, quotaBytes: tier.quotaBytes, diskTotalBytes: tier.disk?.totalBytes,
                 diskFreeBytes: tier.disk?.freeBytes, diskFreePercent: tier.disk.map { ($0.freePercent * 10).rounded() / 10 })
        }
        node = report.node
        tiers = [tier(report.hot)] + (report.archive.map { [tier($0)] } ?? [])
        if report.archive != nil {
            let status = report.moving
            archive = Moving(state: status?.archiveState ?? "off", reason: status?.archiveReason, since: status?.archiveSince,
                             moves: status?.moves ?? 0, bytesMoved: status?.bytesMoved ?? 0, failures: status?.failures ?? 0,
                             lastFailure: status?.lastFailure, duePending: status?.duePending ?? 0, lagSeconds: status?.lagSeconds ?? 0,
                             bytesPerSecond: status?.lastRate ?? 0, lastPassAt: status?.lastPassAt)
        }
        archiveAfterHours = report.archiveAfterHours
        hotMoveBelowFreePercent = report.hotMoveBelowFreePercent
        refuseBelowFreePercent = report.refuseBelowFreePercent
    }
}
