import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import Vapor

/// Analytics settings of a camera (rules and privacy masks), camera snapshots to draw them on,
/// and the events analytics raise: listed, pushed live, acknowledged.
struct AnalyticsController: RouteCollection {
    /// Who may read and draw rules; privacy officers see the masks.
    static let ruleReaders = Access.only(.administrator, .operator, .privacyOfficer)
    /// Who may PUT settings; what each role may change in them is ``AnalyticsSettingsChange``'s.
    static let ruleWriters = Access.only(.administrator, .operator, .privacyOfficer)
    /// Who watches events (they carry snapshots, so the video viewers).
    static let eventWatchers = RecordingController.viewers

    func boot(routes: any RoutesBuilder) throws {
        let camera = routes.grouped("api", "cameras", ":id")
        camera.endpoint(.GET, "analytics", access: Self.ruleReaders, use: settings)
        camera.endpoint(.PUT, "analytics", access: Self.ruleWriters, use: setSettings)
        camera.endpoint(.GET, "snapshot", access: RecordingController.viewers, use: cameraSnapshot)
        let events = routes.grouped("api", "events")
        events.endpoint(.GET, access: Self.eventWatchers, use: list)
        events.endpoint(.GET, "live", access: Self.eventWatchers, use: live)
        events.endpoint(.GET, ":id", access: Self.eventWatchers, use: one)
        events.endpoint(.GET, ":id", "snapshot", access: Self.eventWatchers, use: eventSnapshot)
        events.endpoint(.POST, ":id", "acknowledge", access: Self.eventWatchers, use: acknowledge)
    }

    func settings(req: Request) async throws -> AnalyticsSettingsDTO {
        let (camera, _) = try await req.visibleCamera()
        let settings = try await AnalyticsRepository(database: req.db).settings(for: camera.id)
        return AnalyticsSettingsDTO(cameraId: camera.id, settings: settings, running: req.application.analytics?.isAnalysing(camera.id) ?? false,
                                    detectorLoaded: req.application.analytics?.hasDetector ?? false)
    }

    /// Changes what the role may change (see ``AnalyticsSettingsChange``): rules and the switch
    /// for administrators and operators, privacy masks for administrators and privacy officers;
    /// a field left out stays as it is. 403 naming the field the role may not change.
    func setSettings(req: Request) async throws -> AnalyticsSettingsDTO {
        let user = try req.requireUser()
        let (camera, _) = try await req.visibleCamera()
        let body = try req.decodeStrict(SetAnalyticsRequest.self)
        var names = Set<UUID>()
        for (index, rule) in (body.rules ?? []).enumerated() {
            guard names.insert(rule.id).inserted else { throw Abort(.badRequest, reason: "rules[\(index)].id: \(rule.id) is used by two rules") }
            do { _ = try rule.validated() } catch {
                throw Abort(.badRequest, reason: "rules[\(index)] '\(rule.name.prefix(60))': \(error.description)")
            }
        }
        for (index, mask) in (body.privacyMasks ?? []).enumerated() {
            do { _ = try mask.validated() } catch { throw Abort(.badRequest, reason: "privacyMasks[\(index)]: \(error.description)") }
        }
        let repository = AnalyticsRepository(database: req.db)
        let stored = try await repository.settings(for: camera.id)
        let change: AnalyticsSettingsChange
        do {
            change = try AnalyticsSettingsChange(stored: stored, enabled: body.enabled, rules: body.rules, masks: body.privacyMasks,
                                                 profile: body.profile, by: user.role)
        } catch let refusal as AnalyticsSettingsChange.Refusal {
            try await req.audit.append(AuditEvent(actor: user.username, action: "analytics.settings.refused", target: camera.id.uuidString,
                                                  details: ["reason": .string(refusal.description)]))
            throw Abort(.forbidden, reason: refusal.description)
        }
        let settings = change.settings
        try await repository.setSettings(settings, for: camera.id, by: user.username, now: req.cityWatch.clock())
        var details: [String: AuditValue] = ["enabled": .bool(settings.enabled), "rules": .int(Int64(settings.rules.count)),
                                             "privacyMasks": .int(Int64(settings.privacyMasks.count)),
                                             "profile": .string(settings.profile.rawValue)]
        if change.masksChanged { details["privacyMasksBefore"] = .int(Int64(stored.privacyMasks.count)) }
        try await req.audit.append(AuditEvent(actor: user.username, action: change.masksChanged ? "privacy.masks" : "analytics.settings",
                                              target: camera.id.uuidString, details: details))
        await req.application.analytics?.reloadSettings()
        return AnalyticsSettingsDTO(cameraId: camera.id, settings: settings, running: req.application.analytics?.isAnalysing(camera.id) ?? false,
                                    detectorLoaded: req.application.analytics?.hasDetector ?? false)
    }

    func cameraSnapshot(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (camera, _) = try await req.visibleCamera()
        guard let pipeline = req.application.recording?.pipeline(for: camera.id), let clip = pipeline.live.latestKeyframeClip() else {
            throw Abort(.conflict, reason: "camera \(camera.id) has no live video here to take a snapshot from")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-camera-\(UUID().uuidString).jpg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let masks = try await req.hiddenPrivacyMasks(camera: camera.id, for: user.role)
        do { try await SnapshotMaker().jpeg(clip: clip, masks: masks, to: path) } catch {
            req.logger.warning("camera snapshot failed", metadata: ["camera": "\(camera.id)", "error": "\(error)"])
            throw Abort(.serviceUnavailable, reason: "the snapshot could not be made; try again in a few seconds")
        }
        try await req.audit.append(AuditEvent(actor: user.username, action: "video.snapshot", target: camera.id.uuidString,
                                              details: masks.isEmpty ? [:] : ["masked": .bool(true)]))
        return Response.privateJPEG(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Events newest first; filters: `camera`, `kind` (rule kinds), `severity` (the priority
    /// their alarms get), `state` (`unacknowledged`, `acknowledged`), `since`, `until`.
    func list(req: Request) async throws -> [EventDTO] {
        let (_, scope) = try await req.cameraView()
        var cameras: Set<UUID>? = scope.allowed
        if let camera = try req.filterCamera(in: scope) { cameras = [camera] }
        var kinds = try req.filterValues("kind", allowed: Self.eventKinds)
        if let severities = try req.filterValues("severity", allowed: Alarm.Priority.allCases.map(\.rawValue)) {
            let ofSeverity = Set(Self.eventKinds.filter { severities.contains(Alarm.priority(forAnalyticsKind: $0).rawValue) })
            kinds = kinds.map { $0.intersection(ofSeverity) } ?? ofSeverity
        }
        let state = try req.filterValues("state", allowed: ["unacknowledged", "acknowledged"])
        let acknowledged: Bool? = state?.count == 1 ? state!.contains("acknowledged") : nil
        let limit = min(max((req.query["limit"] as Int?) ?? 100, 1), 500)
        let events = try await AnalyticsRepository(database: req.db).events(
            cameras: cameras, since: try req.timeQuery("since"), until: try req.timeQuery("until"),
            unacknowledgedOnly: (req.query["unacknowledged"] as String?) == "true", kinds: kinds, acknowledged: acknowledged, limit: limit)
        return events.map(EventDTO.init)
    }

    /// The kinds of event a rule raises.
    static let eventKinds = ["intrusion", "loitering", "lineCrossing", "crowding", "objectLeft", "abandonedObject", "fall", "fight"]

    func one(req: Request) async throws -> EventDTO {
        EventDTO(try await visibleEvent(req).event)
    }

    func eventSnapshot(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (event, path) = try await visibleEvent(req)
        guard let path, let bytes = FileManager.default.contents(atPath: path) else {
            throw Abort(.notFound, reason: "event \(event.id) has no snapshot")
        }
        // Once per viewing session of the event: a console redrawing it writes no further lines.
        try await req.auditOncePerViewing(session: user.sessionID, item: "event:\(event.id)",
                                          AuditEvent(actor: user.username, action: "event.snapshot", target: event.cameraID.uuidString,
                                                     details: ["event": .string(event.id.uuidString)]))
        return Response.privateJPEG(bytes)
    }

    func acknowledge(req: Request) async throws -> EventDTO {
        let user = try req.requireUser()
        let (event, _) = try await visibleEvent(req)
        let body = req.body.data == nil ? AcknowledgeRequest(note: nil) : try req.decodeStrict(AcknowledgeRequest.self)
        let note = body.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (note?.count ?? 0) <= 1000 else { throw Abort(.badRequest, reason: "field 'note' must be at most 1000 characters") }
        guard let updated = try await AnalyticsRepository(database: req.db).acknowledge(event.id, by: user.username, note: note?.isEmpty == true ? nil : note,
                                                                                         at: req.cityWatch.clock()) else {
            throw Abort(.notFound, reason: "no event \(event.id)")
        }
        try await req.audit.append(AuditEvent(actor: user.username, action: "event.acknowledge", target: event.cameraID.uuidString,
                                              details: ["event": .string(event.id.uuidString), "note": .string(note ?? "")]))
        req.application.analytics?.hub.publish(.updated(updated))
        return EventDTO(updated)
    }

    /// Every new event, acknowledgement and tamper change on the cameras the user may see, as
    /// JSON text messages: `{"type": "event" | "update", "event": {…}}` and
    /// `{"type": "tamper", "cameraId": …, "state": …, "at": …, "detail": …}`.
    func live(req: Request) async throws -> Response {
        let (_, scope) = try await req.cameraView()
        guard let hub = req.application.analytics?.hub else {
            return req.webSocket { _, socket in
                try? await socket.send("{\"type\":\"error\",\"status\":409,\"reason\":\"analytics do not run in this process\"}")
                try? await socket.close(code: .init(codeNumber: 4409))
            }
        }
        let standing = try req.socketStanding()
        return req.webSocket { _, socket in
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            // Narrowed (or ended) as soon as the user's role or groups change anywhere (`AccessWatch`).
            let scopeNow = NIOLockedValueBox(scope)
            let feed = Task {
                for await message in hub.subscribe() {
                    let payload: LiveEventMessage
                    switch message {
                    case .raised(let event):
                        guard scopeNow.withLockedValue({ $0 }).contains(event.cameraID) else { continue }
                        payload = LiveEventMessage(type: "event", event: EventDTO(event))
                    case .updated(let event):
                        guard scopeNow.withLockedValue({ $0 }).contains(event.cameraID) else { continue }
                        payload = LiveEventMessage(type: "update", event: EventDTO(event))
                    case let .tamper(cameraID, state, at, detail):
                        guard scopeNow.withLockedValue({ $0 }).contains(cameraID) else { continue }
                        payload = LiveEventMessage(type: "tamper", cameraId: cameraID, state: state, at: at, detail: detail)
                    }
                    guard let data = try? encoder.encode(payload) else { continue }
                    try? await socket.send(String(decoding: data, as: UTF8.self))
                    if socket.isClosed { break }
                }
            }
            let watchdog = SocketGuard.watch(socket, request: req) { accessChanged in
                switch await standing() {
                case .ended(let reason): return reason
                case .unknown: return nil
                case .stands(let now):
                    guard accessChanged, let (_, scope) = try? await req.cameraView(for: now) else { return nil }
                    scopeNow.withLockedValue { $0 = scope }
                    return nil
                }
            }
            socket.onClose.whenComplete { _ in
                feed.cancel()
                watchdog.cancel()
            }
        }
    }

    private func visibleEvent(_ req: Request) async throws -> (event: AnalyticsEvent, snapshotPath: String?) {
        let id = try req.uuidParameter("id")
        let (_, scope) = try await req.cameraView()
        guard let found = try await AnalyticsRepository(database: req.db).event(id), scope.contains(found.event.cameraID) else {
            throw Abort(.notFound, reason: "no event \(id)")
        }
        return found
    }
}

extension Response {
    /// A JPEG of footage: never cached by the browser or anything between.
    static func privateJPEG(_ bytes: Data) -> Response {
        let response = Response(status: .ok, body: .init(data: bytes))
        response.headers.contentType = .jpeg
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
