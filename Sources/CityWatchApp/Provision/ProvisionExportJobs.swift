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

    private let jobs = Mutex<[UUID: Job]>([:])
    /// How long an ended job is kept.
    static let keep: TimeInterval = 86_400

    public init() {}

    /// The job of request `id`, if one ran here lately.
    public func job(_ id: UUID) -> Job? {
        jobs.withLock { $0[id] }
    }

    /// Starts `work` as the export of request `id` unless one is running already; returns the
    /// job and whether it was started now. `work` reports progress through the closure it gets.
    @discardableResult
    public func start(_ id: UUID, by actor: String, at now: Date,
                      work: @escaping @Sendable (@escaping @Sendable (EvidenceExporter.Progress) -> Void) async throws -> ProvisionService.Provided)
        -> (job: Job, started: Bool) {
        let (job, started) = jobs.withLock { jobs -> (Job, Bool) in
            for (key, old) in jobs where old.endedAt.map({ now.timeIntervalSince($0) > Self.keep }) == true { jobs[key] = nil }
            if let running = jobs[id], running.state == .running { return (running, false) }
            let job = Job(requestID: id, state: .running, startedBy: actor, startedAt: now, camerasDone: 0, cameras: 0)
            jobs[id] = job
            return (job, true)
        }
        guard started else { return (job, false) }
        Task {
            let outcome: Result<ProvisionService.Provided, any Error>
            do {
                outcome = .success(try await work { [weak self] progress in
                    self?.jobs.withLock { $0[id]?.camerasDone = progress.camerasDone; $0[id]?.cameras = progress.cameras }
                })
            } catch {
                outcome = .failure(error)
            }
            jobs.withLock { jobs in
                jobs[id]?.endedAt = Date()
                switch outcome {
                case .success(let provided):
                    jobs[id]?.state = .done
                    jobs[id]?.result = provided
                case .failure(let error):
                    jobs[id]?.state = .failed
                    jobs[id]?.failure = error
                }
            }
        }
        return (job, true)
    }

    /// Waits until the job of request `id` has ended (for callers that answer only at the end).
    public func wait(_ id: UUID) async -> Job? {
        while let job = job(id), job.state == .running {
            try? await Task.sleep(for: .milliseconds(200))
        }
        return job(id)
    }
}
