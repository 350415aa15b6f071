import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle

/// Expires the evidence exports of a node that records nothing (`CITYWATCH_RECORDING=false`,
/// an API node of a cluster, or one without ffmpeg). Elsewhere the ``RetentionSweeper`` does
/// this with its footage; such a node runs no retention sweeper, yet makes exports and keeps
/// copies of other nodes' ones, which must not outlive their days either.
public final class ExportSweeper: Service, Sendable {
    let database: @Sendable () -> any Database
    let configuration: Configuration
    /// This node's name in a cluster, for the audit lines (nil on a single node).
    let node: String?
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(database: @escaping @Sendable () -> any Database, configuration: Configuration, node: String? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "citywatch.retention")) {
        self.database = database
        self.configuration = configuration
        self.node = node
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await self.sweep()
                } catch {
                    self.logger.error("export sweep failed", metadata: ["error": .string("\(error)")])
                }
                try? await Task.sleep(for: .seconds(self.configuration.retentionSweepMinutes * 60))
            }
        }
    }

    /// Runs one sweep now.
    public func sweep() async throws -> EvidenceService.ExportSweep {
        let db = database()
        let holds = try await RecordingRepository(database: db).retentionHolds()
        return try await Self.expire(database: db, configuration: configuration, clock: clock, node: node, holds: holds, logger: logger)
    }

    /// One sweep of this node's exports against the active legal `holds`, with a log line when
    /// it deleted any: the sweep both this service and the ``RetentionSweeper`` (which has read
    /// the holds already for the footage) run.
    static func expire(database db: any Database, configuration: Configuration, clock: @escaping @Sendable () -> Date,
                       node: String?, holds: [RetentionPlanner.Hold], logger: Logger) async throws -> EvidenceService.ExportSweep {
        let swept = try await EvidenceService(database: db, configuration: configuration, clock: clock).expireExports(holds: holds, node: node)
        if !swept.expired.isEmpty {
            logger.notice("retention deleted evidence exports", metadata: ["exports": .stringConvertible(swept.expired.count)])
        }
        return swept
    }
}
