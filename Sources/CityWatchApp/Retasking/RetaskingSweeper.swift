import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle

/// Reverts re-taskings whose time is over, by itself: once at start (a switch that ended while
/// the server was down ends then) and every `interval` after.
public final class RetaskingSweeper: Service, Sendable {
    let service: @Sendable () -> RetaskingService
    let interval: Duration
    let logger: Logger

    public init(service: @escaping @Sendable () -> RetaskingService, interval: Duration = .seconds(15),
                logger: Logger = Logger(label: "citywatch.retasking")) {
        self.service = service
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.sweep()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Reverts what is due now; failures are logged and tried again at the next sweep.
    @discardableResult
    public func sweep() async -> Int {
        do {
            let reverted = try await service().revertDue()
            for retasking in reverted {
                logger.notice("re-tasking over: camera back to its registry purpose", metadata: [
                    "camera": .string(retasking.cameraID.uuidString), "purpose": .string(retasking.fromPurpose.code)])
            }
            return reverted.count
        } catch {
            logger.error("re-tasking sweep failed", metadata: ["error": .string("\(error)")])
            return 0
        }
    }
}
