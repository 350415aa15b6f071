import CityWatchDomain
import Foundation
import Synchronization

/// The live side of the alarm queue: every raised or changed alarm and incident, and every
/// request to put cameras on the wall, handed to each console that listens.
public final class AlarmCenter: Sendable {
    /// What a console receives.
    public enum Message: Sendable, Equatable {
        case alarmRaised(Alarm)
        case alarmUpdated(Alarm)
        case incidentOpened(Incident)
        case incidentUpdated(Incident)
        /// Put these cameras on the wall, in this order, because of `reason`.
        case wall(WallRequest)
    }

    /// Cameras a console should show now.
    public struct WallRequest: Sendable, Equatable {
        public var cameraIDs: [UUID]
        public var reason: String
        public var alarmID: UUID?
        public var incidentID: UUID?
        public var drill: Bool

        public init(cameraIDs: [UUID], reason: String, alarmID: UUID? = nil, incidentID: UUID? = nil, drill: Bool = false) {
            self.cameraIDs = cameraIDs
            self.reason = reason
            self.alarmID = alarmID
            self.incidentID = incidentID
            self.drill = drill
        }
    }

    let feed = Broadcaster<Message>()
    /// Hands what this node publishes to the other nodes of a cluster, when set.
    private let relay = Mutex<(@Sendable (Message) -> Void)?>(nil)

    public init() {}

    public var listenerCount: Int { feed.listenerCount }

    public func subscribe() -> AsyncStream<Message> { feed.subscribe() }

    /// Sends `message` to this node's consoles and, in a cluster, to the other nodes.
    public func publish(_ message: Message) {
        feed.publish(message)
        relay.withLock { $0 }?(message)
    }

    /// A message another node published: to this node's consoles only.
    public func deliver(_ message: Message) { feed.publish(message) }

    /// Sets (or clears) where published messages also go.
    public func setRelay(_ relay: (@Sendable (Message) -> Void)?) {
        self.relay.withLock { $0 = relay }
    }

    public func finishAll() { feed.finishAll() }
}
