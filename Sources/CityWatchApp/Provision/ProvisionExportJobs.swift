import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import Logging
import Synchronization

/// Provision exports running in the background: an hour of several cameras, re-encoded with
/// blurs, takes minutes, longer than a console should hold a request open. One job per request
/// in the whole cluster; its state lives in the shared store (``ProvisionExportJobStore``), so a
/// console on any node sees how far it has got (cameras done of all) and how it ended, and a job
/// whose node stopped mid-export shows as interrupted and may be started again.
public final class ProvisionExportJobs: Sendable {
    /// What a job produced, as far as this node knows it.
    public enum Outcome: Sendable {
        /// Ran here and ended: the export, or the error it failed with.
        case local(Result<ProvisionService.Provided, any Error>)
        /// Ran on another node, or here before this job object existed: only the stored record.
        case recorded
    }

    let store: ProvisionExportJobStore
    let node: String
    let heartbeat: Duration
    let staleAfter: TimeInterval
    let clock: @Sendable () -> Date
    let logger = Logger(label: "citywatch.provision")
    /// The jobs this node runs: their run id and task, by request.
    private let local = Mutex<[UUID: (runID: UUID, startedAt: Date, task: Task<Result<ProvisionService.Provided, any Error>, Never>)]>([:])

    /// `heartbeat`: how often a running job tells the others it is alive; `staleAfter`: how long
    /// without a word before others treat it as interrupted.
    public init(database: any Database, node: String = ProvisionExportJobs.thisNode, heartbeat: Duration = .seconds(15),
                staleAfter: TimeInterval = 90, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = ProvisionExportJobStore(database: database)
        self.node = node
        self.heartbeat = heartbeat
        self.staleAfter = staleAfter
        self.clock = clock
    }

    /// This process, as the job record names it.
    public static var thisNode: String { "\(ProcessInfo.processInfo.hostName) pid \(ProcessInfo.processInfo.processIdentifier)" }

    /// Request `id`'s latest job, wherever it runs or ran.
    public func job(_ id: UUID) async throws -> ProvisionExportJobRecord? {
        try await store.job(id, staleBefore: clock().addingTimeInterval(-staleAfter))
    }

    /// Starts `work` as the export of request `id` unless a job of it is running (on any node);
    /// returns the job and whether it was started now. `work` reports progress through the
    /// closure it gets.
    @discardableResult
    public func start(_ id: UUID, by actor: String,
                      work: @escaping @Sendable (@escaping @Sendable (EvidenceExporter.Progress) -> Void) async throws -> ProvisionService.Provided)
        async throws -> (job: ProvisionExportJobRecord, started: Bool) {
        let now = clock()
        let claim = try await store.claim(id, node: node, by: actor, at: now, staleBefore: now.addingTimeInterval(-staleAfter))
        guard let job = claim.claimed else {
            guard let running = claim.running else { throw ProvisionExportJobProblem.vanished(id) }
            return (running, false)
        }
        let (store, clock, heartbeat, logger, runID) = (store, clock, heartbeat, logger, job.runID)
        let task = Task { () -> Result<ProvisionService.Provided, any Error> in
            // Progress goes to the store in order, the latest first when the store lags behind.
            let (updates, report) = AsyncStream.makeStream(of: EvidenceExporter.Progress.self, bufferingPolicy: .bufferingNewest(1))
            let writer = Task {
                for await progress in updates {
                    try? await store.progress(id, runID: runID, camerasDone: progress.camerasDone, cameras: progress.cameras,
                                              percent: progress.percent, at: clock())
                }
            }
            let alive = Task {
                while (try? await Task.sleep(for: heartbeat)) != nil {
                    try? await store.heartbeat(id, runID: runID, at: clock())
                }
            }
            let outcome: Result<ProvisionService.Provided, any Error>
            do {
                outcome = .success(try await work { report.yield($0) })
            } catch is CancellationError {
                outcome = .failure(ServerStopping())
            } catch {
                outcome = .failure(error)
            }
            report.finish()
            await writer.value
            alive.cancel()
            do {
                try await store.finish(id, runID: runID, error: outcome.failureText, at: clock())
            } catch {
                // The job reads as interrupted once its heartbeat is missed; the export itself is kept.
                logger.error("could not record the end of a provision export", metadata: ["request": "\(id)", "error": "\(error)"])
            }
            return outcome
        }
        local.withLock { local in
            for (key, entry) in local where now.timeIntervalSince(entry.startedAt) > 86_400 { local[key] = nil }
            local[id] = (runID, now, task)
        }
        return (job, true)
    }

    /// Why a job ended when its server stopped under it (``settle()``).
    public struct ServerStopping: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "the server stopped during the export; nothing was provided and it may be started again" }
    }

    /// At shutdown, while the store is still open: stops this node's running exports (the cut
    /// in progress is killed, the half-written export removed) and waits until each has recorded
    /// how it ended, so no store write meets a closed pool. The requests stay approved.
    public func settle() async {
        let running = local.withLock { local in local.values.map(\.task) }
        for task in running { task.cancel() }
        for task in running { _ = await task.value }
    }

    /// Waits until request `id`'s job has ended and returns it with what it produced; nil when
    /// no job of the request ever ran. A job on another node is followed through the store.
    public func wait(_ id: UUID, poll: Duration = .milliseconds(500)) async throws -> (job: ProvisionExportJobRecord, outcome: Outcome)? {
        while true {
            guard let job = try await job(id) else { return nil }
            if let mine = local.withLock({ $0[id] }), mine.runID == job.runID {
                let result = await mine.task.value
                return (try await self.job(id) ?? job, .local(result))
            }
            if job.state != .running { return (job, .recorded) }
            try await Task.sleep(for: poll)
        }
    }

    /// What this node's job of request `id` produced, once it has ended here.
    public func localOutcome(_ id: UUID, runID: UUID) async -> Result<ProvisionService.Provided, any Error>? {
        guard let mine = local.withLock({ $0[id] }), mine.runID == runID else { return nil }
        return await mine.task.value
    }
}

extension Result where Failure == any Error {
    /// The error's text, for the job record; nil on success.
    var failureText: String? {
        guard case .failure(let error) = self else { return nil }
        return String(describing: error)
    }
}
