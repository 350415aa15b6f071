import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle

/// Carries the alarm center's messages between the nodes of a cluster through PostgreSQL, so a
/// bell pressed at one node reaches the consoles connected to every node. Only ids travel for
/// alarms and incidents (each node reads them from the shared store); wall requests travel whole.
public final class ClusterAlarmRelay: Service, Sendable {
    /// One message on the channel.
    struct Envelope: Codable, Equatable {
        var node: UUID
        var kind: String
        var id: UUID?
        var cameraIDs: [UUID]?
        var reason: String?
        var alarmID: UUID?
        var incidentID: UUID?
        var drill: Bool?
    }

    /// The channel's name on the PostgreSQL server.
    public static let channelName = "citywatch_alarms"

    let center: AlarmCenter
    let channel: ClusterChannel
    let database: @Sendable () -> any Database
    let logger: Logger
    /// This process: its own messages come back and are skipped.
    let node = UUID()

    public init(center: AlarmCenter, channel: ClusterChannel, database: @escaping @Sendable () -> any Database,
                logger: Logger = Logger(label: "citywatch.cluster")) {
        self.center = center
        self.channel = channel
        self.database = database
        self.logger = logger
    }

    public func run() async throws {
        center.setRelay { [self] message in
            Task { await self.send(message) }
        }
        defer { center.setRelay(nil) }
        await cancelWhenGracefulShutdown {
            await self.channel.listen(logger: self.logger) { payload in await self.receive(payload) }
        }
    }

    func envelope(_ message: AlarmCenter.Message) -> Envelope {
        switch message {
        case .alarmRaised(let alarm): Envelope(node: node, kind: "alarm", id: alarm.id)
        case .alarmUpdated(let alarm): Envelope(node: node, kind: "alarm.update", id: alarm.id)
        case .incidentOpened(let incident): Envelope(node: node, kind: "incident", id: incident.id)
        case .incidentUpdated(let incident): Envelope(node: node, kind: "incident.update", id: incident.id)
        case .wall(let request):
            Envelope(node: node, kind: "wall", cameraIDs: Array(request.cameraIDs.prefix(64)), reason: String(request.reason.prefix(200)),
                     alarmID: request.alarmID, incidentID: request.incidentID, drill: request.drill)
        }
    }

    func send(_ message: AlarmCenter.Message) async {
        do {
            let payload = String(decoding: try JSONEncoder().encode(envelope(message)), as: UTF8.self)
            try await channel.send(payload, on: database())
        } catch {
            logger.error("an alarm message did not reach the other nodes", metadata: ["error": "\(error)"])
        }
    }

    /// Delivers what another node published to this node's consoles.
    func receive(_ payload: String) async {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(payload.utf8)), envelope.node != node else { return }
        let repository = IncidentRepository(database: database())
        do {
            switch envelope.kind {
            case "alarm", "alarm.update":
                guard let id = envelope.id, let alarm = try await repository.alarm(id) else { return }
                center.deliver(envelope.kind == "alarm" ? .alarmRaised(alarm) : .alarmUpdated(alarm))
            case "incident", "incident.update":
                guard let id = envelope.id, let incident = try await repository.incident(id) else { return }
                center.deliver(envelope.kind == "incident" ? .incidentOpened(incident) : .incidentUpdated(incident))
            case "wall":
                guard let cameras = envelope.cameraIDs, !cameras.isEmpty else { return }
                center.deliver(.wall(.init(cameraIDs: cameras, reason: envelope.reason ?? "", alarmID: envelope.alarmID,
                                           incidentID: envelope.incidentID, drill: envelope.drill ?? false)))
            default:
                logger.warning("unknown cluster message", metadata: ["kind": "\(envelope.kind.prefix(40))"])
            }
        } catch {
            logger.error("a cluster message could not be read", metadata: ["error": "\(error)"])
        }
    }
}
