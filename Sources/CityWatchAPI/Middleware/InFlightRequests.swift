import Foundation
import Synchronization
import Vapor

/// Counts requests being answered, so shutdown can wait for them before it closes the
/// database under their feet; long work inside a request (an evidence export of hours of
/// footage) runs through ``stoppable(_:)`` so that shutdown can stop it rather than wait.
final class InFlightRequests: AsyncMiddleware, Sendable {
    private struct State {
        var count = 0
        var nextKey = 0
        var stoppable: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        state.withLock { $0.count += 1 }
        defer { state.withLock { $0.count -= 1 } }
        return try await next.respond(to: request)
    }

    /// Runs `work` in a task that ``drain(limit:stopLimit:)`` cancels when the request outlasts
    /// the server's wait at shutdown (Vapor's handlers run in tasks of their own, which no
    /// middleware can reach). `work` should honour cancellation: stop, remove what it half
    /// wrote, and throw `CancellationError`.
    func stoppable<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await work() }
        let key = state.withLock { state in
            state.nextKey += 1
            state.stoppable[state.nextKey] = { task.cancel() }
            return state.nextKey
        }
        defer { _ = state.withLock { $0.stoppable.removeValue(forKey: key) } }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// Requests being answered now.
    var current: Int { state.withLock { $0.count } }

    /// Waits until no request is being answered or `limit` has passed; then stops the
    /// stoppable work still running and waits up to `stopLimit` more for the requests to end.
    func drain(limit: Duration = .seconds(15), stopLimit: Duration = .seconds(5)) async {
        await waitForNone(until: ContinuousClock.now + limit)
        let stops = state.withLock { Array($0.stoppable.values) }
        guard !stops.isEmpty else { return }
        for stop in stops { stop() }
        await waitForNone(until: ContinuousClock.now + stopLimit)
    }

    private func waitForNone(until deadline: ContinuousClock.Instant) async {
        while current > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
