import CityWatchStore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle

/// Signs the audit log's head in `serve`: once at start (an existing log gets its first
/// checkpoint then), every `interval`, and once more at graceful shutdown (SIGTERM, SIGINT),
/// after the services stopped before it have written their last entries. A checkpoint is only
/// written when the head moved, so an idle installation adds none; in a cluster, every node runs
/// one and the store's lock lets one node sign each head.
public final class AuditCheckpointer: Service, Sendable {
    let database: @Sendable () -> any Database
    let signer: AuditCheckpointSigner
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(database: @escaping @Sendable () -> any Database, signer: AuditCheckpointSigner, interval: Duration,
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "citywatch.audit")) {
        self.database = database
        self.signer = signer
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.checkpoint()
                try? await Task.sleep(for: self.interval)
            }
        }
        // Shutting down: what the last requests wrote is signed before the process ends.
        await checkpoint()
    }

    /// Writes a checkpoint now if the head moved; failures are logged and tried again at the next
    /// one. A refusal (the log no longer extends the latest checkpoint) is logged as critical:
    /// someone truncated or rewrote the log.
    @discardableResult
    public func checkpoint() async -> AuditCheckpoint? {
        do {
            let written = try await AuditCheckpoints(database: database(), clock: clock).write(signer: signer)
            if let written {
                logger.info("audit checkpoint signed", metadata: [
                    "seq": .stringConvertible(written.seq), "key": .string(written.fingerprint)])
            }
            return written
        } catch let refusal as AuditCheckpoints.Refusal {
            logger.critical("\(refusal)")
        } catch {
            logger.error("audit checkpoint failed", metadata: ["error": .string("\(error)")])
        }
        return nil
    }
}
