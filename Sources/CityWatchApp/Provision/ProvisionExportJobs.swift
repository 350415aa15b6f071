import CityWatchMedia
import Foundation
import Synchronization

/// Provision exports running in the background of a server: an hour of several cameras,
/// re-encoded with blurs, takes minutes, longer than a console should hold a request open. One
/// job per request; whoever asks sees how far it has got (cameras done of all) and, at the end,
/// what it produced or why it failed. Jobs are kept in memory for a day after they end (the
/// export itself, the ledger line and the audit entries are in the store either way).
public final class ProvisionExportJobs: Sendable {
    /// One export as it runs.
    public struct Job: Sendable {
        public enum State: String, Sendable, Codable {
            case running, done, failed
        }

        public var requestID: UUID
        public var state: State
        public var startedBy: String
        public var startedAt: Date
        public var endedAt: Date?
        public var camerasDone: Int
        public var cameras: Int
        /// What the export produced, once done.
        public var result: ProvisionService.Provided?
        /// Why it failed.
        public var failure: (any Error)?
    }

    /// Each request's latest job, with the task running it (callers that answer only at the end
    /// wait on the task).
    private let entries = Mutex<[UUID: (job: Job, task: Task<Void, Never>)]>([:])
    /// How long an ended job is kept.
    static let keep: TimeInterval = 86_400

    public init() {}

    /// The job of request `id`, if one ran here lately.
    public func job(_ id: UUID) -> Job? {
        entries.withLock { $0[id]?.job }
    }

    /// Starts `work` as the export of request `id` unless one is running already; returns the
    /// job and whether it was started now. `work` reports progress through the closure it gets.
    @discardableResult
    public func start(_ id: UUID, by actor: String, at now: Date,
                      work: @escaping @Sendable (@escaping @Sendable (EvidenceExporter.Progress) -> Void) async throws -> ProvisionService.Provided)
        -> (job: Job, started: Bool) {
        entries.withLock { entries -> (job: Job, started: Bool) in
            for (key, old) in entries where old.job.endedAt.map({ now.timeIntervalSince($0) > Self.keep }) == true { entries[key] = nil }
            if let running = entries[id]?.job, running.state == .running { return (running, false) }
            let job = Job(requestID: id, state: .running, startedBy: actor, startedAt: now, camerasDone: 0, cameras: 0)
            // Made under the lock, so whoever finds the job also finds its task; the task takes
            // the lock only once it runs.
            let task = Task {
                let outcome: Result<ProvisionService.Provided, any Error>
                do {
                    outcome = .success(try await work { [weak self] progress in
                        self?.update(id) { $0.camerasDone = progress.camerasDone; $0.cameras = progress.cameras }
                    })
                } catch {
                    outcome = .failure(error)
                }
                update(id) { job in
                    job.endedAt = Date()
                    switch outcome {
                    case .success(let provided):
                        job.state = .done
                        job.result = provided
                    case .failure(let error):
                        job.state = .failed
                        job.failure = error
                    }
                }
            }
            entries[id] = (job, task)
            return (job, true)
        }
    }

    private func update(_ id: UUID, _ change: (inout Job) -> Void) {
        entries.withLock { entries in
            guard var entry = entries[id] else { return }
            change(&entry.job)
            entries[id] = entry
        }
    }

    /// Waits until the job of request `id` has ended (for callers that answer only at the end).
    public func wait(_ id: UUID) async -> Job? {
        if let task = entries.withLock({ $0[id]?.task }) { await task.value }
        return job(id)
    }
}
