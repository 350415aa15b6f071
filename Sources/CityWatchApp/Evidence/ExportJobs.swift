import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import Logging
import Synchronization

/// Exports running in the background: an hour of several cameras, re-encoded behind masks or
/// blurs, takes minutes, longer than a console should hold a request open (and longer than the
/// front's two hours, for a day's footage). One job per provision request, or per evidence export
/// started, in the whole cluster; its state lives in the shared store (``ExportJobStore``), so a
/// console on any node sees how far it has got and how it ended, and a job whose node stopped
/// mid-export shows as interrupted and may be started again. `Output` is what a job makes (a
/// provision's export and ledger line, or an evidence export's manifest).
public final class ExportJobs<Output: Sendable>: Sendable {
    /// What a job produced, as far as this node knows it.
    public enum Outcome: Sendable {
        /// Ran here and ended: the export, or the error it failed with.
        case local(Result<Output, any Error>)
        /// Ran on another node, or here before this job object existed: only the stored record.
        case recorded
    }

    let store: ExportJobStore
    let kind: ExportJobRecord.Kind
    /// The export a job's output made, kept in its record.
    let exportID: @Sendable (Output) -> UUID
    let node: String
    let heartbeat: Duration
    let staleAfter: TimeInterval
    let clock: @Sendable () -> Date
    let logger = Logger(label: "citywatch.exports")
    /// The jobs this node runs: their run id and task, by job id.
    private let local = Mutex<[UUID: (runID: UUID, startedAt: Date, task: Task<Result<Output, any Error>, Never>)]>([:])

    /// `heartbeat`: how often a running job tells the others it is alive; `staleAfter`: how long
    /// without a word before others treat it as interrupted.
    public init(database: any Database, kind: ExportJobRecord.Kind, exportID: @escaping @Sendable (Output) -> UUID,
                node: String = ExportJobNode.thisNode, heartbeat: Duration = .seconds(15),
                staleAfter: TimeInterval = 90, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = ExportJobStore(database: database)
        self.kind = kind
        self.exportID = exportID
        self.node = node
        self.heartbeat = heartbeat
        self.staleAfter = staleAfter
        self.clock = clock
    }

    /// Job `id`'s latest run, wherever it runs or ran (nil for a job of the other kind).
    public func job(_ id: UUID) async throws -> ExportJobRecord? {
        try await store.job(id, staleBefore: clock().addingTimeInterval(-staleAfter)).flatMap { $0.kind == kind ? $0 : nil }
    }

    /// Starts `work` as job `id` (a provision request's export, or a new evidence export's)
    /// unless a job of that id is running (on any node); returns the job and whether it was
    /// started now. `work` reports progress through the closure it gets.
    @discardableResult
    public func start(_ id: UUID, by actor: String, cameraIDs: [UUID] = [],
                      work: @escaping @Sendable (@escaping @Sendable (EvidenceExporter.Progress) -> Void) async throws -> Output)
        async throws -> (job: ExportJobRecord, started: Bool) {
        let now = clock()
        let claim = try await store.claim(id, kind: kind, cameraIDs: cameraIDs, node: node, by: actor, at: now,
                                          staleBefore: now.addingTimeInterval(-staleAfter))
        guard let job = claim.claimed else {
            guard let running = claim.running else { throw ExportJobProblem.vanished(id) }
            return (running, false)
        }
        let (store, clock, heartbeat, logger, runID, exportID) = (store, clock, heartbeat, logger, job.runID, exportID)
        let task = Task { () -> Result<Output, any Error> in
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
            let outcome: Result<Output, any Error>
            do {
                outcome = .success(try await work { report.yield($0) })
            } catch is CancellationError {
                outcome = .failure(ExportServerStopping())
            } catch {
                outcome = .failure(error)
            }
            report.finish()
            await writer.value
            alive.cancel()
            do {
                try await store.finish(id, runID: runID, error: outcome.failureText, exportID: (try? outcome.get()).map(exportID), at: clock())
            } catch {
                // The job reads as interrupted once its heartbeat is missed; the export itself is kept.
                logger.error("could not record the end of an export", metadata: ["job": "\(id)", "error": "\(error)"])
            }
            return outcome
        }
        local.withLock { local in
            for (key, entry) in local where now.timeIntervalSince(entry.startedAt) > 86_400 { local[key] = nil }
            local[id] = (runID, now, task)
        }
        return (job, true)
    }

    /// At shutdown, while the store is still open: stops this node's running exports (the cut
    /// in progress is killed, the half-written export removed) and waits until each has recorded
    /// how it ended, so no store write meets a closed pool. The requests stay approved.
    public func settle() async {
        let running = local.withLock { local in local.values.map(\.task) }
        for task in running { task.cancel() }
        for task in running { _ = await task.value }
    }

    /// Waits until job `id` has ended and returns it with what it produced; nil when no job of
    /// that id ever ran. A job on another node is followed through the store.
    public func wait(_ id: UUID, poll: Duration = .milliseconds(500)) async throws -> (job: ExportJobRecord, outcome: Outcome)? {
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

    /// What this node's job `id` produced, once it has ended here.
    public func localOutcome(_ id: UUID, runID: UUID) async -> Result<Output, any Error>? {
        guard let mine = local.withLock({ $0[id] }), mine.runID == runID else { return nil }
        return await mine.task.value
    }
}

/// Why a job ended when its server stopped under it (``ExportJobs/settle()``).
public struct ExportServerStopping: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the server stopped during the export; nothing was exported and it may be started again" }
}

/// How a job's record names the process running it.
public enum ExportJobNode {
    /// This process.
    public static var thisNode: String { "\(ProcessInfo.processInfo.hostName) pid \(ProcessInfo.processInfo.processIdentifier)" }
}

extension Result where Failure == any Error {
    /// The error's text, for the job record; nil on success.
    var failureText: String? {
        guard case .failure(let error) = self else { return nil }
        return String(describing: error)
    }
}

/// The export jobs of police provisions: one per request, the job's id the request's.
public typealias ProvisionExportJobs = ExportJobs<ProvisionService.Provided>

extension ExportJobs where Output == ProvisionService.Provided {
    public convenience init(database: any Database, node: String = ExportJobNode.thisNode, heartbeat: Duration = .seconds(15),
                            staleAfter: TimeInterval = 90, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(database: database, kind: .provision, exportID: { $0.manifest.exportId }, node: node, heartbeat: heartbeat,
                  staleAfter: staleAfter, clock: clock)
    }
}

/// The jobs of evidence exports run in the background (`POST /api/exports?background=true`).
public typealias EvidenceExportJobs = ExportJobs<EvidenceManifest>

extension ExportJobs where Output == EvidenceManifest {
    public convenience init(database: any Database, node: String = ExportJobNode.thisNode, heartbeat: Duration = .seconds(15),
                            staleAfter: TimeInterval = 90, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(database: database, kind: .evidence, exportID: { $0.exportId }, node: node, heartbeat: heartbeat,
                  staleAfter: staleAfter, clock: clock)
    }
}
