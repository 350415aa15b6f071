import CityWatchDomain
import Foundation
import Synchronization

/// Hands every new or changed analytics event to every console that listens (one WebSocket per
/// console). A console that falls far behind loses the oldest queued events; it reloads the
/// list when it reconnects, so nothing is lost from the store.
public final class AnalyticsEventHub: Sendable {
    /// What a listener receives.
    public enum Message: Sendable, Equatable {
        /// A new event.
        case raised(AnalyticsEvent)
        /// An event was acknowledged or merged a repeat.
        case updated(AnalyticsEvent)
        /// A camera's tamper state changed (`normal`, `covered`, `defocused`, `moved`, `frozen`).
        case tamper(cameraID: UUID, state: String, at: Date, detail: String)
    }

    /// Messages a listener may have queued before the oldest are dropped.
    public static let queueLimit = 500

    private let listeners = Mutex<[UUID: AsyncStream<Message>.Continuation]>([:])

    public init() {}

    /// Listeners connected now.
    public var listenerCount: Int { listeners.withLock { $0.count } }

    /// A stream of every message from now on; ends when the caller stops iterating.
    public func subscribe() -> AsyncStream<Message> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Message>.makeStream(bufferingPolicy: .bufferingNewest(Self.queueLimit))
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
