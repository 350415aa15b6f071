import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// The 112/119 link: takes an event message of the integrated platform from a partner and
/// acts on it. A new event (발생) raises an emergency-call alarm that asks for the wall, opens an
/// incident from it (origin "112" or "119", the platform's evtId as its reference) and casts
/// the net around the place; a later status of the same event updates the incident (진행 a
/// timeline entry, 종료 closes it); a status already received changes nothing. Every message
/// acted on is kept as it came.
public struct PlatformLink: Sendable {
    /// What a message did.
    public struct Reply: Sendable {
        public enum Outcome: String, Sendable {
            /// A new incident was opened.
            case opened
            /// The same event and status came before: nothing changed.
            case repeated
            /// The incident was brought up to the new status.
            case updated
        }

        public var outcome: Outcome
        public var incident: Incident
        /// The cameras the cast-net linked (for a new incident).
        public var cameras: [UUID]
    }

    /// Why a message was refused; nothing was stored.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case malformed(PlatformMessage.Problem)
        /// The place lies in Korea but far from every camera of this district.
        case outsideDistrict(String)
        /// A status update for an event this centre never opened.
        case unknownEvent(String)
        /// A status update from a partner other than the one that sent the event.
        case otherPartner(String)

        public var description: String {
            switch self {
            case .malformed(let problem): problem.description
            case .outsideDistrict(let text), .unknownEvent(let text), .otherPartner(let text): text
            }
        }
    }

    /// How far from the nearest registered camera a place may be and still be ours.
    public static let districtMargin: Double = 5_000

    let incidents: IncidentService
    let castNet: CastNetService
    let directory: CameraDirectory
    let database: any Database
    let clock: @Sendable () -> Date

    public init(database: any Database, center: AlarmCenter, castNet: CastNetService, directory: CameraDirectory,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.castNet = castNet
        self.directory = directory
        self.clock = clock
        incidents = IncidentService(database: database, center: center, clock: clock)
    }

    var repository: PlatformRepository { PlatformRepository(database: database) }

    /// Acts on the message `body` from `partner`.
    public func receive(_ body: [UInt8], from partner: String) async throws -> Reply {
        let now = clock()
        let event: PlatformEvent
        do { event = try PlatformMessage.parse(body, now: now) } catch { throw Problem.malformed(error) }
        let actor = "platform:\(partner)"
        let existing = try await IncidentRepository(database: database).incident(originRef: event.id)
            .flatMap { $0.origin == event.service.rawValue ? $0 : nil }
        let raw = String(decoding: body, as: UTF8.self)
        guard let incident = existing else {
            guard event.status == .occurred else {
                throw Problem.unknownEvent("field 'evtId': no incident was opened for event '\(event.id)'; its first message must be 발생")
            }
            let snapshot = try await directory.snapshot(on: database, now: now)
            if let nearest = snapshot.spatialIndex.nearest(1, to: event.place).first, nearest.distance > Self.districtMargin {
                throw Problem.outsideDistrict("field 'ocrLc': the place is \(Int(nearest.distance / 1_000)) km from the nearest camera of this district")
            }
            guard let kept = try await repository.keep(raw: raw, partner: partner, eventID: event.id, status: event.status.rawValue,
                                                       incident: nil, at: now) else {
                // Sent twice at once: the other copy opens it.
                return try await repeated(event)
            }
            do {
                let reply = try await open(event, snapshot: snapshot, by: actor, now: now)
                try await repository.settle(kept, incident: reply.incident.id)
                try await audit(event, partner: partner, outcome: .opened, incident: reply.incident)
                return reply
            } catch {
                // Kept when the incident was opened before the failure: the message still says
                // which partner reported the event (only it may send its updates).
                let opened = try? await IncidentRepository(database: database).incident(originRef: event.id)
                try? await repository.settle(kept, incident: opened?.id)
                throw error
            }
        }
        let messages = try await repository.messages(event: event.id)
        // Only the partner that reported the event may move it on (another cannot close it).
        if let sender = messages.first(where: { $0.status == PlatformEvent.Status.occurred.rawValue })?.partner, sender != partner {
            throw Problem.otherPartner("field 'evtId': event '\(event.id)' was reported by another partner; only it may send its updates")
        }
        let received = messages.compactMap { PlatformEvent.Status(rawValue: $0.status) }
        guard event.status > received.max() ?? .occurred,
              try await repository.keep(raw: raw, partner: partner, eventID: event.id, status: event.status.rawValue,
                                        incident: incident.id, at: now) != nil
        else { return Reply(outcome: .repeated, incident: incident, cameras: []) }
        let text = "\(event.service.rawValue) \(event.status.koreanName)" + (event.content.map { ": \($0)" } ?? "")
        var updated = incident
        switch event.status {
        case .occurred: break
        case .inProgress:
            try await incidents.record(.updated, text, on: incident.id, by: actor)
            incidents.center.publish(.incidentUpdated(incident))
        case .ended:
            updated = try await incidents.update(incident.id, status: .closed, grade: nil, note: text, by: actor)
        }
        try await audit(event, partner: partner, outcome: .updated, incident: updated)
        return Reply(outcome: .updated, incident: updated, cameras: [])
    }

    private func repeated(_ event: PlatformEvent) async throws -> Reply {
        guard let incident = try await IncidentRepository(database: database).incident(originRef: event.id) else {
            throw Problem.unknownEvent("field 'evtId': event '\(event.id)' is being opened by another copy of this message; send it again")
        }
        return Reply(outcome: .repeated, incident: incident, cameras: [])
    }

    /// The alarm, the incident it escalates into, and the incident's cast-net.
    private func open(_ event: PlatformEvent, snapshot: CameraDirectory.Snapshot, by actor: String, now: Date) async throws -> Reply {
        // "112 긴급영상지원" already names its service; a bare name gets it in front.
        let name = event.name.contains(event.service.rawValue) ? event.name : "\(event.service.rawValue) \(event.name)"
        let title = name + (event.placeText.map { " · \($0)" } ?? "")
        // A copy sent again after an opening that failed half-way takes up the alarm it raised.
        var alarm: Alarm
        if let raised = try await incidents.repository.alarm(source: .emergencyCall, ref: event.id), raised.status.isActive {
            alarm = raised
        } else {
            alarm = try await incidents.raise(Alarm(source: .emergencyCall, sourceRef: event.id, priority: event.priority,
                                                    title: String(title.prefix(200)), detail: event.content, place: event.place,
                                                    address: event.placeText, raisedAt: event.occurredAt, toWall: true), by: actor)
        }
        let draft = IncidentService.Draft(kind: event.incidentKind, title: String(title.prefix(200)), grade: event.grade, place: event.place,
                                          address: event.placeText, occurredAt: event.occurredAt, origin: event.service.rawValue,
                                          originRef: event.id)
        var (_, incident) = try await incidents.escalate(alarm: alarm.id, into: nil, draft: draft, by: actor,
                                                          note: event.reportNumber.map { "접수번호 \($0)" })
        var chosen: [UUID] = []
        let net = IncidentCastNet(incidents: incidents, castNet: castNet, snapshot: snapshot, scope: .everything)
        do {
            chosen = try await net.run(incident, now: now, by: actor).chosen
        } catch {
            // The incident is open and answered for; the operator casts the net from the console.
            let why = (error as? IncidentService.Problem)?.description ?? "\(error)"
            try await incidents.record(.castNet, "cast-net not run: \(String(why.prefix(300)))", on: incident.id, by: actor)
        }
        if !chosen.isEmpty {
            alarm = try await incidents.repository.alarm(alarm.id) ?? alarm
            alarm.cameraIDs = chosen
            try await incidents.repository.save(alarm)
            incidents.center.publish(.alarmUpdated(alarm))
            incident = try await incidents.repository.incident(incident.id) ?? incident
        }
        return Reply(outcome: .opened, incident: incident, cameras: chosen)
    }

    private func audit(_ event: PlatformEvent, partner: String, outcome: Reply.Outcome, incident: Incident) async throws {
        try await AuditLog(database: database, clock: clock).append(AuditEvent(actor: "platform:\(partner)", action: "platform.event",
                                                                               target: event.id, details: [
            "service": .string(event.service.rawValue), "status": .string(event.status.rawValue), "outcome": .string(outcome.rawValue),
            "incident": .string(incident.number),
        ]))
    }
}
