import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import NIOConcurrencyHelpers
import NIOWebSocket
import Vapor

/// The alarm queue and incidents: listed, pushed live to every console, acted on, and the
/// cast-net of an incident run and sent to the walls.
struct IncidentController: RouteCollection {
    /// Who watches the queue and incidents.
    static let watchers = Access.only(.administrator, .operator, .police)
    /// Who handles alarms and runs incidents.
    static let handlers = Access.only(.administrator, .operator)

    func boot(routes: any RoutesBuilder) throws {
        let alarms = routes.grouped("api", "alarms")
        alarms.endpoint(.GET, access: Self.watchers, use: listAlarms)
        alarms.endpoint(.POST, access: Self.handlers, use: raiseAlarm)
        alarms.endpoint(.GET, "live", access: Self.watchers, use: live)
        alarms.endpoint(.GET, "stats", access: Access.only(.administrator, .operator, .privacyOfficer), use: stats)
        alarms.endpoint(.GET, ":id", access: Self.watchers, use: oneAlarm)
        alarms.endpoint(.POST, "bulk", access: Self.handlers, use: bulk)
        for action in [AlarmQueue.Action.acknowledge, .annotate, .dismiss, .reopen] {
            alarms.endpoint(.POST, ":id", .constant(action.rawValue), access: Self.handlers) { req in
                try await self.act(action, req: req)
            }
        }
        alarms.endpoint(.POST, ":id", "escalate", access: Self.handlers, use: escalate)
        let incidents = routes.grouped("api", "incidents")
        incidents.endpoint(.GET, access: Self.watchers, use: listIncidents)
        incidents.endpoint(.POST, access: Self.handlers, use: openIncident)
        incidents.endpoint(.GET, ":id", access: Self.watchers, use: oneIncident)
        incidents.endpoint(.POST, ":id", "notes", access: Self.watchers, use: addNote)
        incidents.endpoint(.POST, ":id", "cameras", access: Self.handlers, use: linkCameras)
        incidents.endpoint(.POST, ":id", "clips", access: Self.handlers, use: addClip)
        incidents.endpoint(.POST, ":id", "status", access: Self.handlers, use: update)
        incidents.endpoint(.POST, ":id", "castnet", access: Self.handlers, use: castNet)
    }

    // MARK: Alarms

    /// The queue; filters: `kind` (sources), `camera`, `severity` (priorities), `state`
    /// (statuses; a finished one includes finished alarms), `finished=true`, `since`.
    func listAlarms(req: Request) async throws -> [AlarmDTO] {
        let view = try await req.cameraListView()
        let limit = min(max((req.query["limit"] as Int?) ?? 200, 1), 1_000)
        let camera = try req.filterCamera(in: view.scope)
        let statuses = try req.filterValues("state", allowed: Alarm.Status.allCases.map(\.rawValue)).map { Set($0.compactMap(Alarm.Status.init)) }
        let filter = IncidentRepository.AlarmFilter(
            sources: try req.filterValues("kind", allowed: Alarm.Source.allCases.map(\.rawValue)).map { Set($0.compactMap(Alarm.Source.init)) },
            priorities: try req.filterValues("severity", allowed: Alarm.Priority.allCases.map(\.rawValue)).map { Set($0.compactMap(Alarm.Priority.init)) },
            statuses: statuses)
        let finished = (req.query["finished"] as String?) == "true" || statuses?.contains { !$0.isActive } == true
        let since = try req.timeQuery("since") ?? req.cityWatch.clock().addingTimeInterval(-86_400)
        // A camera filter is applied after reading, like the user's scope: read as far past other cameras' rows.
        let toRead = camera == nil ? view.scope.rowsToRead(toShow: limit) : max(limit, 10_000)
        let alarms = try await IncidentRepository(database: req.db).alarms(includeFinished: finished, since: since, limit: toRead, filter: filter)
        return alarms.filter { view.maySee($0.cameraIDs) && (camera.map($0.cameraIDs.contains) ?? true) }.prefix(limit).map { AlarmDTO($0, view: view) }
    }

    func oneAlarm(req: Request) async throws -> AlarmDTO {
        let (alarm, view) = try await visibleAlarm(req)
        return AlarmDTO(alarm, view: view)
    }

    func raiseAlarm(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let body = try req.decodeStrict(RaiseAlarmRequest.self)
        let view = try await req.cameraListView()
        let title = body.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...200).contains(title.count) else { throw Abort(.badRequest, reason: "field 'title': must be 2–200 characters") }
        let cameras = body.cameraIds ?? []
        for id in cameras where !view.scope.contains(id) || view.snapshot.camera(id) == nil {
            throw Abort(.badRequest, reason: "field 'cameraIds': no camera \(id)")
        }
        let place = try GeoPoint.fromRequest(latitude: body.latitude, longitude: body.longitude)
        let alarm = Alarm(source: .operator, priority: body.priority ?? .normal, title: title,
                          detail: body.detail?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(2_000).description,
                          place: place, address: try Self.text(body.address, field: "address", maximum: 300), cameraIDs: cameras,
                          raisedAt: req.cityWatch.clock(),
                          drill: body.drill ?? false, toWall: body.toWall ?? false)
        let raised = try await req.incidents.raise(alarm, by: user.username)
        let response = try await AlarmDTO(raised, view: view).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func act(_ action: AlarmQueue.Action, req: Request) async throws -> AlarmDTO {
        let user = try req.requireUser()
        let (alarm, view) = try await visibleAlarm(req)
        let body = req.body.data == nil ? AlarmNoteRequest(note: nil) : try req.decodeStrict(AlarmNoteRequest.self)
        let updated = try await req.incidentCall { try await req.incidents.act(action, alarm: alarm.id, by: user.username, note: body.note) }
        return AlarmDTO(updated, view: view)
    }

    /// Acknowledges, dismisses or reopens several alarms at once (a storm of false alarms, a
    /// shift's backlog, a dismissal of the wrong ones taken back): each is done or refused on its
    /// own; nothing refused stops the rest. One read, one transaction.
    func bulk(req: Request) async throws -> BulkAlarmResultDTO {
        let user = try req.requireUser()
        let body = try req.decodeStrict(BulkAlarmRequest.self)
        guard let action = AlarmQueue.Action(rawValue: body.action), [.acknowledge, .dismiss, .reopen].contains(action) else {
            throw Abort(.badRequest, reason: "field 'action': acknowledge, dismiss or reopen, not '\(body.action)'")
        }
        guard (1...500).contains(body.ids.count) else { throw Abort(.badRequest, reason: "field 'ids': 1 to 500 alarm ids") }
        if action == .dismiss, body.note?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            throw Abort(.badRequest, reason: AlarmQueue.Refusal.noteRequired(.dismiss).description)
        }
        let view = try await req.cameraListView()
        let outcomes = try await req.incidents.act(action, alarms: body.ids.sorted { $0.uuidString < $1.uuidString }, by: user.username,
                                                   note: body.note, visible: { view.maySee($0.cameraIDs) })
        var result = BulkAlarmResultDTO(done: [], refused: [])
        for outcome in outcomes {
            switch outcome.outcome {
            case .success(let alarm): result.done.append(AlarmDTO(alarm, view: view))
            case .failure(let problem): result.refused.append(.init(id: outcome.id, reason: problem.description))
            }
        }
        return result
    }

    func escalate(req: Request) async throws -> IncidentDetailDTO {
        let user = try req.requireUser()
        let (alarm, view) = try await visibleAlarm(req)
        let body = req.body.data == nil ? EscalateAlarmRequest() : try req.decodeStrict(EscalateAlarmRequest.self)
        if let target = body.incidentId {
            // Only into an incident the user may see: joining one would show it to them.
            guard let incident = try await IncidentRepository(database: req.db).incident(target), view.maySee(incident.cameraIDs) else {
                throw Abort(.notFound, reason: "no incident \(target)")
            }
        }
        var draft: IncidentService.Draft?
        if body.incidentId == nil, body.kind != nil || body.title != nil || body.grade != nil {
            draft = IncidentService.Draft(kind: body.kind ?? (alarm.source == .bell ? .childSafety : .crime), title: body.title ?? alarm.title,
                                          grade: body.grade ?? (alarm.priority == .critical ? 1 : 2), place: alarm.place, address: alarm.address,
                                          occurredAt: alarm.raisedAt, cameraIDs: alarm.cameraIDs, drill: alarm.drill,
                                          origin: "alarm", originRef: alarm.id.uuidString)
        }
        let (_, incident) = try await req.incidentCall {
            try await req.incidents.escalate(alarm: alarm.id, into: body.incidentId, draft: draft, by: user.username, note: body.note)
        }
        return try await detail(incident.id, req: req, view: view)
    }

    func stats(req: Request) async throws -> AlarmStatsDTO {
        let now = req.cityWatch.clock()
        let to = try req.timeQuery("to") ?? now
        let from = try req.timeQuery("from") ?? to.addingTimeInterval(-7 * 86_400)
        guard from < to, to.timeIntervalSince(from) <= 366 * 86_400 else {
            throw Abort(.badRequest, reason: "from must be before to, at most a year apart")
        }
        let view = try await req.cameraListView()
        let alarms = try await IncidentRepository(database: req.db).alarms(from: from, to: to).filter { view.maySee($0.cameraIDs) }
        let real = alarms.filter { !$0.drill }
        return AlarmStatsDTO(from: from, to: to, total: real.count,
                             bySource: Dictionary(grouping: real, by: \.source.rawValue).mapValues(\.count),
                             byPriority: Dictionary(grouping: real, by: \.priority.rawValue).mapValues(\.count),
                             dismissed: real.filter { $0.status == .dismissed }.count,
                             escalated: real.filter { $0.status == .escalated }.count,
                             drills: alarms.count - real.count)
    }

    /// Every raised or changed alarm and incident, and every wall request, for the cameras the
    /// user may see, as JSON text messages: `{"type": "alarm" | "alarm.update", "alarm": {…}}`,
    /// `{"type": "incident" | "incident.update", "incident": {…}}`,
    /// `{"type": "wall", "cameraIds": […], "labels": […], "reason": …, "alarmId"?, "incidentId"?, "drill"}`.
    func live(req: Request) async throws -> Response {
        let opened = try await req.cameraListView()
        let center = req.cityWatch.alarms
        let standing = try req.socketStanding()
        return req.webSocket { _, socket in
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            // The user's cameras as they are now: when a role or group changes anywhere, the feed
            // narrows (or ends) before its next message (`AccessWatch`).
            let view = NIOLockedValueBox(opened)
            let feed = Task {
                for await message in center.subscribe() {
                    guard let payload = LiveAlarmMessage(message, view: view.withLockedValue { $0 }), let data = try? encoder.encode(payload) else { continue }
                    try? await socket.send(String(decoding: data, as: UTF8.self))
                    if socket.isClosed { break }
                }
            }
            let watchdog = SocketGuard.watch(socket, request: req) { accessChanged in
                switch await standing() {
                case .ended(let reason): return reason
                case .unknown: return nil
                case .stands(let now):
                    guard accessChanged, let (snapshot, scope) = try? await req.cameraView(for: now) else { return nil }
                    view.withLockedValue { $0 = CameraListView(snapshot: snapshot, scope: scope) }
                    return nil
                }
            }
            socket.onClose.whenComplete { _ in
                feed.cancel()
                watchdog.cancel()
            }
        }
    }

    private func visibleAlarm(_ req: Request) async throws -> (Alarm, CameraListView) {
        let id = try req.uuidParameter("id")
        let view = try await req.cameraListView()
        guard let alarm = try await IncidentRepository(database: req.db).alarm(id), view.maySee(alarm.cameraIDs) else {
            throw Abort(.notFound, reason: "no alarm \(id)")
        }
        return (alarm, view)
    }

    // MARK: Incidents

    func listIncidents(req: Request) async throws -> [IncidentDTO] {
        let view = try await req.cameraListView()
        let days = min(max((req.query["closedDays"] as Int?) ?? 7, 0), 365)
        let since = days == 0 ? nil : req.cityWatch.clock().addingTimeInterval(-Double(days) * 86_400)
        let limit = min(max((req.query["limit"] as Int?) ?? 200, 1), 1_000)
        return try await IncidentRepository(database: req.db).incidents(closedSince: since, limit: view.scope.rowsToRead(toShow: limit))
            .filter { view.maySee($0.cameraIDs) }.prefix(limit).map { IncidentDTO($0, view: view) }
    }

    func oneIncident(req: Request) async throws -> IncidentDetailDTO {
        let view = try await req.cameraListView()
        return try await detail(try req.uuidParameter("id"), req: req, view: view)
    }

    func openIncident(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let body = try req.decodeStrict(OpenIncidentRequest.self)
        let view = try await req.cameraListView()
        let cameras = body.cameraIds ?? []
        for id in cameras where !view.scope.contains(id) || view.snapshot.camera(id) == nil {
            throw Abort(.badRequest, reason: "field 'cameraIds': no camera \(id)")
        }
        let draft = IncidentService.Draft(kind: body.kind, title: body.title, grade: body.grade ?? 2,
                                          place: try GeoPoint.fromRequest(latitude: body.latitude, longitude: body.longitude),
                                          address: try Self.text(body.address, field: "address", maximum: 300),
                                          occurredAt: body.occurredAt ?? req.cityWatch.clock(), cameraIDs: cameras,
                                          drill: body.drill ?? false)
        let incident = try await req.incidentCall { try await req.incidents.open(draft, by: user.username) }
        let response = try await detail(incident.id, req: req, view: view).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func addNote(req: Request) async throws -> IncidentDetailDTO {
        let user = try req.requireUser()
        let (incident, view) = try await visibleIncident(req)
        let body = try req.decodeStrict(IncidentNoteRequest.self)
        _ = try await req.incidentCall { try await req.incidents.addNote(body.text, to: incident.id, by: user.username) }
        return try await detail(incident.id, req: req, view: view)
    }

    func linkCameras(req: Request) async throws -> IncidentDetailDTO {
        let user = try req.requireUser()
        let (incident, view) = try await visibleIncident(req)
        let body = try req.decodeStrict(LinkCamerasRequest.self)
        guard !body.cameraIds.isEmpty else { throw Abort(.badRequest, reason: "field 'cameraIds': name at least one camera") }
        for id in body.cameraIds where !view.scope.contains(id) || view.snapshot.camera(id) == nil {
            throw Abort(.badRequest, reason: "field 'cameraIds': no camera \(id)")
        }
        _ = try await req.incidentCall {
            try await req.incidents.linkCameras(body.cameraIds, to: incident.id, by: user.username,
                                                reason: try Self.text(body.reason, field: "reason", maximum: 500))
        }
        return try await detail(incident.id, req: req, view: view)
    }

    func addClip(req: Request) async throws -> IncidentDetailDTO {
        let user = try req.requireUser()
        let (incident, view) = try await visibleIncident(req)
        let body = try req.decodeStrict(AddClipRequest.self)
        guard view.scope.contains(body.cameraId), view.snapshot.camera(body.cameraId) != nil else {
            throw Abort(.badRequest, reason: "field 'cameraId': no camera \(body.cameraId)")
        }
        let clip = IncidentClip(cameraID: body.cameraId, from: body.from, to: body.to, label: body.label ?? "")
        _ = try await req.incidentCall { try await req.incidents.addClip(clip, to: incident.id, by: user.username) }
        return try await detail(incident.id, req: req, view: view)
    }

    func update(req: Request) async throws -> IncidentDetailDTO {
        let user = try req.requireUser()
        let (incident, view) = try await visibleIncident(req)
        let body = try req.decodeStrict(UpdateIncidentRequest.self)
        _ = try await req.incidentCall {
            try await req.incidents.update(incident.id, status: body.status, grade: body.grade, note: body.note, by: user.username)
        }
        return try await detail(incident.id, req: req, view: view)
    }

    /// The cast-net of an incident: around its place since it happened, or ("follow") around
    /// the camera the suspect was seen on since then. The best cameras are linked to the
    /// incident and sent to the consoles' walls in rank order.
    func castNet(req: Request) async throws -> CastNetResponse {
        let user = try req.requireUser()
        let (incident, view) = try await visibleIncident(req)
        let body = req.body.data == nil ? IncidentCastNetRequest() : try req.decodeStrict(IncidentCastNetRequest.self)
        if let asked = body.now, asked > req.cityWatch.clock().addingTimeInterval(60) {
            throw Abort(.badRequest, reason: "field 'now': a net is cast for now or a moment past, not for the future")
        }
        let net = IncidentCastNet(incidents: req.incidents, castNet: req.cityWatch.castNet, snapshot: view.snapshot, scope: view.scope)
        let outcome = try await req.incidentCall {
            try await net.run(incident, seenOn: body.seenOnCameraId, seenAt: body.seenAt, now: body.now ?? req.cityWatch.clock(),
                              limit: body.limit ?? IncidentCastNet.defaultLimit, toWall: body.toWall ?? true, by: user.username)
        }
        var labels: [String: String] = [:]
        for pick in outcome.plan.cameras {
            if let id = UUID(uuidString: pick.cameraID) { labels[pick.cameraID] = view.label(id) }
        }
        return CastNetResponse(plan: outcome.plan, labels: labels)
    }

    /// An optional text field trimmed (nil when empty), or 400 naming it when too long.
    static func text(_ value: String?, field: String, maximum: Int) throws -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= maximum else { throw Abort(.badRequest, reason: "field '\(field)': at most \(maximum) characters") }
        return trimmed
    }

    private func visibleIncident(_ req: Request) async throws -> (Incident, CameraListView) {
        let id = try req.uuidParameter("id")
        let view = try await req.cameraListView()
        guard let incident = try await IncidentRepository(database: req.db).incident(id), view.maySee(incident.cameraIDs) else {
            throw Abort(.notFound, reason: "no incident \(id)")
        }
        return (incident, view)
    }

    private func detail(_ id: UUID, req: Request, view: CameraListView) async throws -> IncidentDetailDTO {
        let (incident, timeline) = try await req.incidentCall { try await req.incidents.incident(id) }
        guard view.maySee(incident.cameraIDs) else { throw Abort(.notFound, reason: "no incident \(id)") }
        let alarms = try await IncidentRepository(database: req.db).alarms(incident: id)
        return IncidentDetailDTO(incident: IncidentDTO(incident, view: view), timeline: timeline,
                                 alarms: alarms.map { AlarmDTO($0, view: view) })
    }
}

/// One message of `GET /api/alarms/live`.
struct LiveAlarmMessage: Encodable {
    var type: String
    var alarm: AlarmDTO?
    var incident: IncidentDTO?
    var cameraIds: [UUID]?
    var labels: [String]?
    var reason: String?
    var alarmId: UUID?
    var incidentId: UUID?
    var drill: Bool?

    /// The message as `view`'s user may see it, or nil when it is none of their business.
    init?(_ message: AlarmCenter.Message, view: CameraListView) {
        switch message {
        case .alarmRaised(let alarm), .alarmUpdated(let alarm):
            guard view.maySee(alarm.cameraIDs) else { return nil }
            if case .alarmRaised = message { type = "alarm" } else { type = "alarm.update" }
            self.alarm = AlarmDTO(alarm, view: view)
        case .incidentOpened(let incident), .incidentUpdated(let incident):
            guard view.maySee(incident.cameraIDs) else { return nil }
            if case .incidentOpened = message { type = "incident" } else { type = "incident.update" }
            self.incident = IncidentDTO(incident, view: view)
        case .wall(let request):
            let (shown, labels) = view.visible(request.cameraIDs)
            guard !shown.isEmpty else { return nil }
            type = "wall"
            cameraIds = shown
            self.labels = labels
            reason = request.reason
            alarmId = request.alarmID
            incidentId = request.incidentID
            drill = request.drill
        }
    }
}

extension Request {
    /// The alarm and incident service bound to this request's database.
    var incidents: IncidentService {
        IncidentService(database: db, center: cityWatch.alarms, clock: cityWatch.clock)
    }

    /// The cameras this user may see, for filtering alarms and incidents.
    func cameraListView() async throws -> CameraListView {
        let (snapshot, scope) = try await cameraView()
        return CameraListView(snapshot: snapshot, scope: scope)
    }

    /// Runs `body`, answering the service's problems as 404, 409 or 400.
    func incidentCall<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let problem as IncidentService.Problem {
            switch problem {
            case .notFound(let text): throw Abort(.notFound, reason: text)
            case .conflict(let text): throw Abort(.conflict, reason: text)
            case .invalid(let text): throw Abort(.badRequest, reason: text)
            }
        }
    }
}

extension GeoPoint {
    /// A place from optional request fields: none, or both and valid (400 naming the field otherwise).
    static func fromRequest(latitude: Double?, longitude: Double?) throws -> GeoPoint? {
        switch (latitude, longitude) {
        case (nil, nil): return nil
        case let (latitude?, longitude?):
            guard (-90...90).contains(latitude) else { throw Abort(.badRequest, reason: "field 'latitude': \(latitude) is not between -90 and 90") }
            guard (-180...180).contains(longitude) else { throw Abort(.badRequest, reason: "field 'longitude': \(longitude) is not between -180 and 180") }
            return GeoPoint(latitude: latitude, longitude: longitude)
        default: throw Abort(.badRequest, reason: "fields 'latitude' and 'longitude' go together")
        }
    }
}
