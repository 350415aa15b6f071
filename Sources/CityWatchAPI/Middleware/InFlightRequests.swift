import Foundation
import Synchronization
import Vapor

/// Counts requests being answered, so shutdown can wait for them before it closes the
/// database under their feet.
final class InFlightRequests: AsyncMiddleware, Sendable {
    private let count = Mutex(0)

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        count.withLock { $0 += 1 }
        defer { count.withLock { $0 -= 1 } }
        return try await next.respond(to: request)
    }

    /// Requests being answered now.
    var current: Int { count.withLock { $0 } }

    /// Waits until no request is being answered, or `limit` has passed.
    func drain(limit: Duration = .seconds(15)) async {
        let deadline = ContinuousClock.now + limit
        while current > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
