import CityWatchDomain
import Foundation

/// Hands every new or changed analytics event to every console that listens (one WebSocket per
/// console); see ``Broadcaster`` for what happens to a console that falls behind.
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

    private let feed = Broadcaster<Message>(queueLimit: AnalyticsEventHub.queueLimit)

    public init() {}

    /// Listeners connected now.
    public var listenerCount: Int { feed.listenerCount }

    /// A stream of every message from now on; ends when the caller stops iterating.
    public func subscribe() -> AsyncStream<Message> { feed.subscribe() }

    /// Sends `message` to every listener.
    public func publish(_ message: Message) { feed.publish(message) }

    /// Ends every listener's stream (at shutdown).
    public func finishAll() { feed.finishAll() }
}
