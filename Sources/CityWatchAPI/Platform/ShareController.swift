import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

/// Sharing an incident's cameras with a partner: an operator makes a short-lived token
/// (`POST /api/incidents/:id/share`), the partner uses it without a session for the list of
/// cameras, their live video and the playback of the incident's footage window; every use is
/// audit-logged as `share.use`.
struct ShareController: RouteCollection {
    static let sharers = Access.only(.administrator, .operator)
    /// What the token routes declare: the share token in the path, checked by the handler.
    static let shareToken = Access.credential("incident share token (in the path)")
    /// A partner sees through the same masks as the police.
    static let partnerRole = Role.police

    func boot(routes: any RoutesBuilder) throws {
        let incident = routes.grouped("api", "incidents", ":id")
        incident.endpoint(.POST, "share", access: Self.sharers, use: share)
        incident.endpoint(.GET, "shares", access: Self.sharers, use: shares)
        incident.endpoint(.DELETE, "shares", ":share", access: Self.sharers, use: revoke)
        let shared = routes.grouped("api", "shared", ":token")
        shared.endpoint(.GET, access: Self.shareToken, use: listing)
        shared.endpoint(.GET, "live", ":camera", access: Self.shareToken, use: live)
        shared.endpoint(.GET, "playback", ":camera", access: Self.shareToken, use: playback)
        shared.endpoint(.GET, "segments", ":segment", access: Self.shareToken, use: segment)
    }

    // MARK: Operators

    func share(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (incident, view) = try await req.visibleIncidentForSharing()
        let body = try req.decodeStrict(ShareIncidentRequest.self)
        if let cameras = body.cameraIds {
            for id in cameras where !view.scope.contains(id) { throw Abort(.badRequest, reason: "field 'cameraIds': no camera \(id)") }
        }
        let cameras = body.cameraIds ?? incident.cameraIDs.filter(view.scope.contains)
        let (grant, token) = try await req.incidentCall {
            try await req.sharing.share(incident: incident.id, partner: body.partner, cameras: cameras, minutes: body.minutes, by: user.username)
        }
        let response = try await SharedIncidentDTO(grant, token: token, incident: incident, view: view).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func shares(req: Request) async throws -> [ShareDTO] {
        let (incident, _) = try await req.visibleIncidentForSharing()
        return try await req.sharing.shares(incident: incident.id).map(ShareDTO.init)
    }

    func revoke(req: Request) async throws -> ShareDTO {
        let user = try req.requireUser()
        let (incident, _) = try await req.visibleIncidentForSharing()
        let id = try req.uuidParameter("share")
        return ShareDTO(try await req.incidentCall { try await req.sharing.revoke(share: id, of: incident.id, by: user.username) })
    }

    // MARK: Partners, with a token

    func listing(req: Request) async throws -> SharedIncidentDTO {
        let grant = try await req.shareGrant()
        let (incident, _) = try await req.incidentCall { try await req.incidents.incident(grant.incidentID) }
        try await req.sharing.logUse(grant, camera: nil, what: "list", address: req.clientAddress)
        let snapshot = try await req.cityWatch.directory.snapshot(on: req.db)
        return SharedIncidentDTO(grant, token: try req.shareToken(), incident: incident,
                                 view: CameraListView(snapshot: snapshot, scope: .everything))
    }

    func live(req: Request) async throws -> Response {
        let grant = try await req.shareGrant()
        let camera = try req.sharedCamera(of: grant)
        try await req.sharing.logUse(grant, camera: camera, what: "live", address: req.clientAddress)
        let token = try req.shareToken()
        let sharing = req.sharing
        // The view ends when the share does: revoked, or past its time.
        return try await req.liveVideo(camera: camera, viewer: "share:\(grant.partner)", role: Self.partnerRole,
                                       extraDetails: ["share": .string(grant.id.uuidString), "partner": .string(grant.partner)]) { _ in
            do {
                _ = try await sharing.resolve(token)
                return nil
            } catch let refusal as IncidentSharing.Refusal {
                return refusal.description
            } catch {
                return nil  // the store could not be asked this time; ask again next time
            }
        }
    }

    func playback(req: Request) async throws -> SharedPlaybackDTO {
        let grant = try await req.shareGrant()
        let camera = try req.sharedCamera(of: grant)
        let from = try req.timeQuery("from") ?? grant.playbackFrom
        let to = try req.timeQuery("to") ?? grant.playbackTo
        guard from < to else { throw Abort(.badRequest, reason: "from must be before to") }
        guard from >= grant.playbackFrom, to <= grant.playbackTo else {
            let formatter = ISO8601DateFormatter()
            throw Abort(.forbidden, reason: "this share covers \(formatter.string(from: grant.playbackFrom)) – \(formatter.string(from: grant.playbackTo)) only")
        }
        try await req.sharing.logUse(grant, camera: camera, what: "playback", address: req.clientAddress)
        let token = try req.shareToken()
        let segments = try await RecordingRepository(database: req.db).segments(camera: camera, from: from, to: to)
        return SharedPlaybackDTO(cameraId: camera, from: from, to: to, segments: try segments.map {
            let id = try $0.requireID()
            return SharedPlaybackDTO.Segment(id: id, start: $0.start, end: $0.end, url: "/api/shared/\(token)/segments/\(id)")
        })
    }

    func segment(req: Request) async throws -> Response {
        let grant = try await req.shareGrant()
        let id = try req.uuidParameter("segment")
        guard let segment = try await SegmentModel.find(id, on: req.db), segment.status == "ok" else {
            throw Abort(.notFound, reason: "no recording \(id)")
        }
        guard grant.cameraIDs.contains(segment.cameraID) else { throw Abort(.forbidden, reason: "this share does not cover that camera") }
        guard segment.end > grant.playbackFrom, segment.start < grant.playbackTo else {
            throw Abort(.forbidden, reason: "this share does not cover that recording's time")
        }
        try await req.sharing.logUse(grant, camera: segment.cameraID, what: "segment", address: req.clientAddress)
        return try await req.segmentFile(segment, viewer: "share:\(grant.partner)", role: Self.partnerRole, session: grant.id,
                                         extraDetails: ["share": .string(grant.id.uuidString), "partner": .string(grant.partner)])
    }
}

extension Request {
    /// Incident sharing bound to this request's database.
    var sharing: IncidentSharing {
        IncidentSharing(database: db, center: cityWatch.alarms, clock: cityWatch.clock)
    }

    /// The share token of the path.
    func shareToken() throws -> String {
        guard let token = parameters.get("token"), !token.isEmpty else { throw Abort(.unauthorized, reason: "unknown share token") }
        return token
    }

    /// The live grant of the path's token; 401 saying why not (unknown, expired, revoked).
    /// An address refused too often is held off (429) without its token being looked at; the
    /// first refusal of a minute is audited in full, the rest summarised (``AnonymousRefusals``).
    func shareGrant() async throws -> IncidentSharing.Grant {
        let token = try shareToken()
        let refusals = cityWatch.refusals
        if let wait = refusals.retryAfter(client: clientAddress, now: cityWatch.clock()) {
            try await refusals.turnedAway(.share, client: clientAddress, retryAfter: wait, audit: audit, now: cityWatch.clock())
            throw Abort(.tooManyRequests, headers: ["Retry-After": "\(wait)"], reason: "too many refused share links from this address; try again in \(wait) s")
        }
        do { return try await sharing.resolve(token) } catch let refusal as IncidentSharing.Refusal {
            let event = AuditEvent(actor: "anonymous", action: "share.refused", target: "",
                                   details: ["reason": .string(refusal.description), "address": .string(clientAddress)])
            try await refusals.refused(.share, client: clientAddress, kind: String(refusal.description.prefix(40)), event: event, audit: audit, now: cityWatch.clock())
            throw Abort(.unauthorized, reason: refusal.description)
        }
    }

    /// The path's camera, when the grant covers it (403 otherwise).
    func sharedCamera(of grant: IncidentSharing.Grant) throws -> UUID {
        let camera = try uuidParameter("camera")
        guard grant.cameraIDs.contains(camera) else { throw Abort(.forbidden, reason: "this share does not cover camera \(camera)") }
        return camera
    }

    /// The path's incident if the user may see it (404 otherwise), with the user's camera view.
    func visibleIncidentForSharing() async throws -> (Incident, CameraListView) {
        let id = try uuidParameter("id")
        let view = try await cameraListView()
        guard let incident = try await IncidentRepository(database: db).incident(id), view.maySee(incident.cameraIDs) else {
            throw Abort(.notFound, reason: "no incident \(id)")
        }
        return (incident, view)
    }
}
