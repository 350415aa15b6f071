import CityWatchDomain
import CityWatchStore
import Foundation

/// The cast-net of an incident: around its place since it happened, or ("follow") around the
/// camera the suspect was seen on since then. The best cameras are linked to the incident (and
/// their footage held), the run is written to the timeline and the audit log, and the cameras
/// go to the consoles' walls in rank order. Shared by the incident API and the 112/119 link.
public struct IncidentCastNet: Sendable {
    /// What a run found and did.
    public struct Outcome: Sendable {
        public var plan: CastNetPlan
        /// The cameras linked and sent to the walls, best first.
        public var chosen: [UUID]
        /// The centre the net was cast around.
        public var centre: GeoPoint
    }

    /// How many cameras are linked when the caller does not say.
    public static let defaultLimit = 16
    /// The most cameras one run links.
    public static let maximumLimit = 64

    let incidents: IncidentService
    let castNet: CastNetService
    let snapshot: CameraDirectory.Snapshot
    let scope: CameraScope

    /// A cast-net over the cameras of `snapshot` inside `scope`.
    public init(incidents: IncidentService, castNet: CastNetService, snapshot: CameraDirectory.Snapshot, scope: CameraScope) {
        self.incidents = incidents
        self.castNet = castNet
        self.snapshot = snapshot
        self.scope = scope
    }

    /// Runs the net for `incident` at `now`. With `seenOn`, it is centred on that camera since
    /// `seenAt` (default now). Throws ``IncidentService/Problem`` naming the field for a camera
    /// out of scope, a time after now or more than 24 hours back, an incident without a place.
    public func run(_ incident: Incident, seenOn: UUID? = nil, seenAt: Date? = nil, now: Date, limit: Int = defaultLimit,
                    toWall: Bool = true, by actor: String) async throws -> Outcome {
        let centre: GeoPoint
        let since: Date
        var followText: String?
        if let seen = seenOn {
            guard scope.contains(seen), let index = snapshot.cameraIndex[seen] else {
                throw IncidentService.Problem.invalid("field 'seenOnCameraId': no camera \(seen)")
            }
            centre = snapshot.siteOfCamera[index].record.location
            since = seenAt ?? now
            followText = "follow: seen on \(snapshot.siteOfCamera[index].displayAddress)"
        } else {
            guard let place = incident.place else {
                throw IncidentService.Problem.conflict("incident \(incident.number) has no place; follow from a camera (seenOnCameraId) instead")
            }
            centre = place
            since = incident.occurredAt
        }
        guard since <= now else { throw IncidentService.Problem.invalid("field 'seenAt': after now") }
        guard now.timeIntervalSince(since) <= 86_400 else {
            throw IncidentService.Problem.invalid("more than 24 hours since the incident; escape routes that long cover the whole city")
        }
        let limit = min(max(limit, 1), Self.maximumLimit)
        let plan = await castNet.plan(CastNetQuery(point: centre, incidentTime: since, now: now), snapshot: snapshot, scope: scope)
        let chosen = plan.cameras.prefix(limit).compactMap { UUID(uuidString: $0.cameraID) }
        _ = try await incidents.linkCameras(chosen, to: incident.id, by: actor, reason: followText ?? "cast-net")
        try await incidents.record(.castNet, (followText.map { $0 + "; " } ?? "") + "cast-net: \(plan.cameras.count) camera(s), \(chosen.count) linked",
                                   on: incident.id, by: actor)
        if toWall, !chosen.isEmpty {
            incidents.center.publish(.wall(.init(cameraIDs: chosen, reason: "사건 \(incident.number) cast-net", incidentID: incident.id,
                                                 drill: incident.drill)))
        }
        try await incidents.audit.append(AuditEvent(actor: actor, action: "castnet", target: incident.id.uuidString, details: [
            "latitude": .double(centre.latitude), "longitude": .double(centre.longitude), "cameras": .int(Int64(plan.cameras.count)),
            "follow": .bool(followText != nil),
        ]))
        return Outcome(plan: plan, chosen: chosen, centre: centre)
    }
}
