import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Turns what analytics see into alarms in the one queue: every new event an alarm with its
/// camera, every camera that becomes covered, defocused, moved or frozen a camera-health alarm;
/// an event acknowledged in the events view acknowledges its alarm.
///
/// Storms are folded: past ``AlarmStormPolicy``'s threshold, the alarms of one camera and rule
/// (or one camera's tamper) become one storm alarm whose count and span keep updating.
public final class AnalyticsAlarmBridge: Service, Sendable {
    let hub: AnalyticsEventHub
    let storms: Mutex<AlarmStormPolicy>
    let stormWindow: TimeInterval
    let center: AlarmCenter
    let directory: CameraDirectory
    let database: @Sendable () -> any Database
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(hub: AnalyticsEventHub, center: AlarmCenter, directory: CameraDirectory, database: @escaping @Sendable () -> any Database,
                storms: AlarmStormPolicy = AlarmStormPolicy(),
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "citywatch.alarms")) {
        self.hub = hub
        self.stormWindow = storms.window
        self.storms = Mutex(storms)
        self.center = center
        self.directory = directory
        self.database = database
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        let messages = hub.subscribe()
        await cancelWhenGracefulShutdown {
            for await message in messages {
                do { try await self.handle(message) } catch {
                    self.logger.error("an analytics alarm was not stored", metadata: ["error": .string("\(error)")])
                }
            }
        }
    }

    /// Stores (and pushes) the alarm `message` calls for, if any.
    public func handle(_ message: AnalyticsEventHub.Message) async throws {
        let service = IncidentService(database: database(), center: center, clock: clock)
        switch message {
        case .raised(let event):
            let (place, address) = try await whereIs(event.cameraID)
            try await raise(Alarm(source: .analytics, sourceRef: event.id.uuidString, priority: Alarm.priority(forAnalyticsKind: event.kind),
                                  title: "\(event.ruleName) · \(address)", detail: event.kind, place: place, address: address,
                                  cameraIDs: [event.cameraID], raisedAt: event.at),
                            key: AlarmStormPolicy.key(camera: event.cameraID, rule: event.ruleID?.uuidString ?? event.kind), service: service)
        case .updated(let event):
            guard let actor = event.acknowledgedBy,
                  let alarm = try await IncidentRepository(database: database()).alarm(source: .analytics, ref: event.id.uuidString),
                  alarm.status == .open else { return }
            _ = try await service.act(.acknowledge, alarm: alarm.id, by: actor, note: event.note)
        case let .tamper(cameraID, state, at, detail):
            guard state != "normal" else { return }
            let (place, address) = try await whereIs(cameraID)
            try await raise(Alarm(source: .cameraHealth, sourceRef: "\(cameraID.uuidString):\(state)", priority: .normal,
                                  title: "카메라 \(Self.tamperName(state)) · \(address)", detail: detail, place: place, address: address,
                                  cameraIDs: [cameraID], raisedAt: at),
                            key: AlarmStormPolicy.tamperKey(camera: cameraID), service: service)
        }
    }

    /// Raises `alarm`, or counts it into its storm alarm when ``AlarmStormPolicy`` says so.
    private func raise(_ alarm: Alarm, key: String, service: IncidentService) async throws {
        switch storms.withLock({ $0.decide(key: key, at: alarm.raisedAt) }) {
        case .raise:
            try await service.raise(alarm)
        case .storm:
            try await service.raiseStorm(alarm, key: key, window: stormWindow)
        }
    }

    private func whereIs(_ camera: UUID) async throws -> (GeoPoint?, String) {
        let snapshot = try await directory.snapshot(on: database(), now: clock())
        guard let index = snapshot.cameraIndex[camera] else { return (nil, camera.uuidString) }
        let site = snapshot.siteOfCamera[index]
        return (site.record.location, site.displayAddress)
    }

    static func tamperName(_ state: String) -> String {
        switch state {
        case "covered": "가림 covered"
        case "defocused": "초점 흐림 defocused"
        case "moved": "방향 바뀜 moved"
        case "frozen": "영상 멈춤 frozen"
        default: state
        }
    }
}
