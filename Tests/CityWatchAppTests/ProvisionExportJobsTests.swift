import CityWatchAPI
import CityWatchApp
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Synchronization
import Testing

/// Provision export jobs kept in the shared store: two servers ("nodes") on one database, as in
/// a cluster. A console on one follows the export the other runs, a second export of the same
/// request does not start while one runs anywhere, and a job whose server went away shows as
/// interrupted and may be started again.
@Suite("Provision export jobs across nodes")
struct ProvisionExportJobsTests {
    struct Stopped: Error, CustomStringConvertible {
        var description: String { "ffmpeg could not read camera 2" }
    }

    /// A job's work that reports one camera of three done, then waits for `go` and fails.
    static func work(until go: AsyncStream<Void>) -> @Sendable (@escaping @Sendable (EvidenceExporter.Progress) -> Void) async throws
        -> ProvisionService.Provided {
        { progress in
            progress(.init(camerasDone: 1, cameras: 3, percent: 40))
            for await _ in go { break }
            throw Stopped()
        }
    }

    static func eventually(_ what: Comment, _ check: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(10)
        while try await !check() {
            try #require(Date() < deadline, what)
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func aJobOnOneNodeIsFollowedFromAnotherAndNotStartedTwice(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let nodeA = ProvisionExportJobs(database: app.db, node: "node-a")
            let nodeB = ProvisionExportJobs(database: app.db, node: "node-b")
            let request = UUID()
            #expect(try await nodeB.job(request) == nil)
            let (go, signal) = AsyncStream.makeStream(of: Void.self)
            let (first, started) = try await nodeA.start(request, by: "operator1", work: Self.work(until: go))
            #expect(started && first.state == .running && first.node == "node-a")

            // Node B sees the job running on A, with A's progress.
            try await Self.eventually("node B sees A's progress") {
                try await nodeB.job(request)?.camerasDone == 1
            }
            let seen = try #require(try await nodeB.job(request))
            #expect(seen.state == .running && seen.node == "node-a" && seen.cameras == 3 && seen.percent == 40 && seen.startedBy == "operator1")
            // A second export from B while A runs it: B gets A's job, starts nothing.
            let (again, startedAgain) = try await nodeB.start(request, by: "operator2", work: Self.work(until: AsyncStream { _ in }))
            #expect(!startedAgain && again.runID == first.runID && again.node == "node-a")

            // A's job fails; B, following through the store, sees how and why.
            signal.yield()
            let followed = try #require(try await nodeB.wait(request, poll: .milliseconds(50)))
            #expect(followed.job.state == .failed && followed.job.error == "ffmpeg could not read camera 2" && followed.job.endedAt != nil)
            guard case .recorded = followed.outcome else { Issue.record("B only knows the record, got \(followed.outcome)"); return }
            let onA = try #require(try await nodeA.wait(request))
            guard case .local(.failure(let error)) = onA.outcome else { Issue.record("A knows its own failure, got \(onA.outcome)"); return }
            #expect(error is Stopped)

            // Ended, it may be started again, on either node.
            let (go2, signal2) = AsyncStream.makeStream(of: Void.self)
            let (retry, retried) = try await nodeB.start(request, by: "operator2", work: Self.work(until: go2))
            #expect(retried && retry.node == "node-b" && retry.runID != first.runID && retry.camerasDone == 0 && retry.error == nil)
            signal2.finish()
            _ = try await nodeB.wait(request)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func aJobWhoseServerStoppedIsInterruptedAndMayBeStartedAgain(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            // A's heartbeat is slower than B's patience: to B, A looks gone.
            let nodeA = ProvisionExportJobs(database: app.db, node: "node-a", heartbeat: .seconds(60), staleAfter: 600)
            let nodeB = ProvisionExportJobs(database: app.db, node: "node-b", heartbeat: .seconds(60), staleAfter: 0.5)
            let request = UUID()
            let (go, signal) = AsyncStream.makeStream(of: Void.self)
            let (first, _) = try await nodeA.start(request, by: "operator1", work: Self.work(until: go))
            // A's progress is a sign of life too: once it is written, A says nothing more.
            try await Self.eventually("A's progress is written") { try await nodeA.job(request)?.camerasDone == 1 }
            try await Self.eventually("B sees A's job interrupted") {
                try await nodeB.job(request)?.state == .interrupted
            }
            #expect(try await nodeA.job(request)?.state == .running, "to A's own patience it is still running")
            let (taken, started) = try await nodeB.start(request, by: "operator2", work: Self.work(until: AsyncStream { $0.finish() }))
            #expect(started && taken.node == "node-b" && taken.runID != first.runID)
            // B's run ends; then A's old run ends too — and changes nothing of B's record.
            let onB = try #require(try await nodeB.wait(request))
            #expect(onB.job.runID == taken.runID && onB.job.state == .failed)
            signal.yield()
            _ = await nodeA.localOutcome(request, runID: first.runID)
            let last = try #require(try await nodeB.job(request))
            #expect(last.runID == taken.runID && last.node == "node-b" && last.startedBy == "operator2")
            signal.finish()
        }
    }

    /// A job that waits (like a long cut) until it is cancelled.
    static func workUntilCancelled(_ progress: @escaping @Sendable (EvidenceExporter.Progress) -> Void) async throws -> ProvisionService.Provided {
        progress(.init(camerasDone: 0, cameras: 2))
        try await Task.sleep(for: .seconds(600))
        throw Stopped()
    }

    @Test(arguments: DatabaseKind.allCases)
    func settlingAtShutdownStopsARunningJobAndRecordsWhy(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let jobs = ProvisionExportJobs(database: app.db, node: "node-a")
            let request = UUID()
            let (first, _) = try await jobs.start(request, by: "operator1", work: Self.workUntilCancelled)
            let began = Date()
            await jobs.settle()
            #expect(Date().timeIntervalSince(began) < 5, "settling waited for the work instead of stopping it")
            // Recorded before settle returned, while the store is open: not left to read as interrupted later.
            let ended = try #require(try await jobs.job(request))
            #expect(ended.runID == first.runID && ended.state == .failed && ended.endedAt != nil)
            #expect(ended.error == ExportServerStopping().description)
            let (again, started) = try await jobs.start(request, by: "operator1", work: Self.work(until: AsyncStream { $0.finish() }))
            #expect(started && again.runID != first.runID, "a stopped export may be started again")
            _ = try await jobs.wait(request)
        }
    }

    /// The application's own jobs are settled when it shuts down, before its store closes.
    @Test func theApplicationStopsItsRunningExportsWhenItShutsDown() async throws {
        let stopped = Mutex(false)
        let (jobs, request, runID) = try await withCityWatch(.sqlite) { app in
            let request = UUID()
            let (job, started) = try await app.cityWatch.provisionExports.start(request, by: "operator1") { progress in
                do {
                    return try await Self.workUntilCancelled(progress)
                } catch {
                    stopped.withLock { $0 = error is CancellationError }
                    throw error
                }
            }
            #expect(started)
            return (app.cityWatch.provisionExports, request, job.runID)
        }
        // (its work would otherwise sleep on for ten minutes: nothing to wait for)
        guard stopped.withLock({ $0 }) else { Issue.record("the application shut down with its export still running"); return }
        let outcome = await jobs.localOutcome(request, runID: runID)
        guard case .failure(let error) = outcome else { Issue.record("the export was not stopped: \(String(describing: outcome))"); return }
        #expect(error is ExportServerStopping, "\(error)")
    }
}
