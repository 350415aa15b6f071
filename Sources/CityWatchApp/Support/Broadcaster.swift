import Foundation
import Synchronization

/// Hands every message to every listener (one per console WebSocket). A listener that falls
/// far behind loses its oldest queued messages; consoles reload from the store when they
/// reconnect, so nothing is lost for good.
public final class Broadcaster<Message: Sendable>: Sendable {
    /// Messages a listener may have queued before the oldest are dropped.
    public let queueLimit: Int

    private let listeners = Mutex<[UUID: AsyncStream<Message>.Continuation]>([:])

    public init(queueLimit: Int = 500) {
        self.queueLimit = queueLimit
    }

    /// Listeners connected now.
    public var listenerCount: Int { listeners.withLock { $0.count } }

    /// A stream of every message from now on; ends when the caller stops iterating.
    public func subscribe() -> AsyncStream<Message> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Message>.makeStream(bufferingPolicy: .bufferingNewest(queueLimit))
        listeners.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.listeners.withLock { _ = $0.removeValue(forKey: id) }
        }
        return stream
    }

    /// Sends `message` to every listener.
    public func publish(_ message: Message) {
        let continuations = listeners.withLock { Array($0.values) }
        for continuation in continuations { continuation.yield(message) }
    }

    /// Ends every listener's stream (at shutdown).
    public func finishAll() {
        let continuations = listeners.withLock { listeners in
            defer { listeners = [:] }
            return Array(listeners.values)
        }
        continuations.forEach { $0.finish() }
    }
}
