import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation
import Logging

/// Stores motion minutes (and with them the search index) beside the analysis, not in its way:
/// the writer hands a minute over and goes on; one task writes what has queued up, in the order
/// handed over. The store merges parts of a minute, so a part written late loses nothing.
///
/// Bounded: when the database cannot keep up (or is down) for long, the oldest parts beyond
/// ``limit`` are dropped with a warning, so memory does not grow without end.
actor MotionMinuteQueue {
    let database: @Sendable () -> any Database
    let logger: Logger
    let limit: Int
    private var pending: [(camera: UUID, minute: MotionMinute)] = []
    private var draining: Task<Void, Never>?
    private var dropped = 0

    init(database: @escaping @Sendable () -> any Database, logger: Logger, limit: Int = 20_000) {
        self.database = database
        self.logger = logger
        self.limit = limit
    }

    /// Queues `minute` of `camera` to be stored.
    func enqueue(_ minute: MotionMinute, camera: UUID) {
        pending.append((camera, minute))
        if pending.count > limit {
            let excess = pending.count - limit
            pending.removeFirst(excess)
            dropped += excess
            if dropped == excess || dropped % 1_000 < excess {
                logger.warning("motion metadata dropped: the database is not keeping up", metadata: ["dropped": "\(dropped)"])
            }
        }
        if draining == nil { draining = Task { await self.drain() } }
    }

    /// Waits until everything queued so far is stored (at shutdown).
    func flush() async {
        while let task = draining { await task.value }
    }

    private func drain() async {
        let repository = AnalyticsRepository(database: database())
        while !pending.isEmpty {
            let (camera, minute) = pending.removeFirst()
            do {
                try await repository.saveMotionMinute(camera: camera, minute)
            } catch {
                logger.error("cannot store motion metadata", metadata: ["camera": "\(camera)", "error": "\(error)"])
            }
        }
        draining = nil
    }
}
