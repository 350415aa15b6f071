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

/// Streams, health, recordings, playback and live video of a camera.
struct RecordingController: RouteCollection {
    /// Who may watch video, live or recorded.
    static let viewers = Access.only(.administrator, .operator, .police)

    func boot(routes: any RoutesBuilder) throws {
        let camera = routes.grouped("api", "cameras", ":id")
        camera.endpoint(.GET, "stream", access: .only(.administrator, .maintenance), use: stream)
        camera.endpoint(.PUT, "stream", access: .only(.administrator), use: setStream)
        camera.endpoint(.DELETE, "stream", access: .only(.administrator), use: removeStream)
        camera.endpoint(.GET, "health", access: .signedIn, use: health)
        camera.endpoint(.GET, "recordings", access: .signedIn, use: recordings)
        camera.endpoint(.GET, "live", access: Self.viewers, use: live)
        routes.endpoint(.GET, "api", "segments", ":id", "video", access: Self.viewers, use: segmentVideo)
    }

    func stream(req: Request) async throws -> StreamDTO {
        let (camera, _) = try await req.visibleCamera()
        guard let stream = try await RecordingRepository(database: req.db).stream(for: camera.id, sealer: try req.sealer()) else {
            throw Abort(.notFound, reason: "camera \(camera.id) has no stream")
        }
        return StreamDTO(stream)
    }

    func setStream(req: Request) async throws -> StreamDTO {
        let user = try req.requireUser()
        let (camera, _) = try await req.visibleCamera()
        let body = try req.decodeStrict(SetStreamRequest.self)
        let repository = RecordingRepository(database: req.db)
        let existing = try await repository.stream(for: camera.id, sealer: try req.sealer())
        var stream = CameraStream(mainURL: body.mainURL, subURL: body.subURL, username: body.username,
                                  password: body.password ?? existing?.password, loop: body.loop ?? false)
        if body.password == "" { stream.password = nil }
        do { stream = try stream.validated() } catch { throw Abort(.badRequest, reason: error.description) }
        try await repository.setStream(stream, for: camera.id, sealer: try req.sealer(), now: req.cityWatch.clock())
        try await req.audit.append(AuditEvent(actor: user.username, action: "camera.stream.set", target: camera.id.uuidString,
                                              details: ["mainURL": .string(stream.mainURL), "subURL": .string(stream.subURL ?? ""),
                                                        "credentials": .bool(stream.username != nil)]))
        return StreamDTO(stream)
    }

    func removeStream(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        let (camera, _) = try await req.visibleCamera()
        try await RecordingRepository(database: req.db).removeStream(for: camera.id)
        try await req.audit.append(AuditEvent(actor: user.username, action: "camera.stream.remove", target: camera.id.uuidString))
        return .noContent
    }

    func health(req: Request) async throws -> HealthDTO {
        let (camera, _) = try await req.visibleCamera()
        let model = try await CameraModel.find(camera.id, on: req.db)
        let history = try await RecordingRepository(database: req.db).healthHistory(camera: camera.id, limit: 50)
        var dto = HealthDTO(cameraId: camera.id, health: model?.health ?? (camera.enabled ? "unknown" : "disabled"),
                            reason: model?.healthReason, since: model?.healthSince,
                            recording: req.application.recording?.pipeline(for: camera.id) != nil,
                            history: history.map { .init(at: $0.at, from: $0.from, to: $0.to, reason: $0.reason) })
        if let analytics = req.application.analytics {
            dto.analysis = analytics.analysisHealth(settings: try await AnalyticsRepository(database: req.db).settings(for: camera.id))
        }
        if let recording = req.application.recording {
            // Known here even when the store could not take the health change (it may be why).
            let status = recording.indexingStatus(of: camera.id)
            dto.indexing = .init(state: status.stalledSince == nil ? "ok" : "stalled", waiting: status.waiting,
                                 stalledSince: status.stalledSince, problem: status.problem)
            if let since = status.stalledSince {
                dto.health = RecordingService.indexingStalled
                dto.since = since
                dto.reason = "\(status.waiting) closed segment(s) not in the index" + (status.problem.map { ": " + String($0.prefix(300)) } ?? "")
            }
        }
        return dto
    }

    func recordings(req: Request) async throws -> RecordingsDTO {
        let (camera, _) = try await req.visibleCamera()
        let now = req.cityWatch.clock()
        let to = try req.timeQuery("to") ?? now
        let from = try req.timeQuery("from") ?? to.addingTimeInterval(-86_400)
        guard from < to else { throw Abort(.badRequest, reason: "from must be before to") }
        guard to.timeIntervalSince(from) <= 31 * 86_400 else { throw Abort(.badRequest, reason: "ask for at most 31 days at a time") }
        let repository = RecordingRepository(database: req.db)
        let segments = try await repository.segments(camera: camera.id, from: from, to: to)
        var ranges: [RecordingsDTO.Range] = []
        for segment in segments {
            if let last = ranges.last, segment.start.timeIntervalSince(last.end) < 2 {
                ranges[ranges.count - 1].end = max(last.end, segment.end)
            } else {
                ranges.append(.init(start: segment.start, end: segment.end))
            }
        }
        let gaps = try await repository.gaps(camera: camera.id, from: from, to: to).map { RecordingsDTO.Range(start: $0.from, end: $0.to) }
        var recordingNow: RecordingsDTO.Range?
        if let open = await req.application.recording?.pipeline(for: camera.id)?.segmentBeingWritten(), open.start < now, open.start < to, now > from {
            recordingNow = .init(start: open.start, end: now)
        }
        var dto = RecordingsDTO(cameraId: camera.id, from: from, to: to, ranges: ranges, gaps: gaps,
                                segments: segments.map { .init(id: $0.id!, start: $0.start, end: $0.end, bytes: $0.bytes, node: $0.node, tier: $0.tier) },
                                recordingNow: recordingNow)
        if let peers = req.application.clusterPeers {
            dto.unavailable = try await peers.unavailable(segments).map { .init(start: $0.start, end: $0.end, node: $0.node, reason: $0.reason) }
        }
        return dto
    }

    func segmentVideo(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let id = try req.uuidParameter("id")
        guard let segment = try await SegmentModel.find(id, on: req.db), segment.status == "ok" else {
            throw Abort(.notFound, reason: "no recording \(id)")
        }
        let (_, scope) = try await req.cameraView()
        guard scope.contains(segment.cameraID) else { throw Abort(.notFound, reason: "no recording \(id)") }
        return try await req.segmentFile(segment, viewer: user.username, role: user.role, session: user.sessionID)
    }

    func live(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (camera, _) = try await req.visibleCamera()
        // A view ends with its session (signed out, expired, the user disabled), and as soon as
        // the user's role changes (what they may see behind privacy masks may have) or the
        // camera leaves their groups, wherever the change was made (`AccessWatch`).
        let standing = try req.socketStanding()
        let cameraID = camera.id
        return try await req.liveVideo(camera: camera.id, viewer: user.username, role: user.role) { accessChanged in
            switch await standing() {
            case .ended(let reason): return reason
            case .unknown: return nil
            case .stands(let now):
                guard accessChanged else { return nil }
                if now.role != user.role { return "your role changed to \(now.role.rawValue); open the view again" }
                guard let (_, scope) = try? await req.cameraView(for: now) else { return nil }
                return scope.contains(cameraID) ? nil : "camera \(cameraID) is no longer in your camera groups"
            }
        }
    }
}

extension Request {
    /// The live video WebSocket of `camera` for `viewer` (the masked relay when `role` may not
    /// see behind its privacy masks), audit-logged as `video.live.start` with `extraDetails` and
    /// `video.live.end`; `stillAllowed` ends it once the viewer's right to watch has gone.
    func liveVideo(camera: UUID, viewer: String, role: Role, extraDetails: [String: AuditValue] = [:],
                   stillAllowed: @escaping AccessCheck) async throws -> Response {
        // Recorded here, or (in a cluster) by another node, whose stream this node relays.
        let pipeline = application.recording?.pipeline(for: camera)
        var holder: String?
        if pipeline == nil, let peers = application.clusterPeers, let held = try await ClusterStore(database: db).holder(of: camera),
           held.node != peers.node {
            holder = held.node
        }
        guard pipeline != nil || holder != nil else {
            // A browser cannot read the status of a refused WebSocket handshake: accept, say why, close.
            let reason = application.clusterPeers == nil
                ? "camera \(camera) is not being recorded here, so it has no live video"
                : "camera \(camera) is not being recorded by any node now, so it has no live video"
            return webSocket { _, socket in
                try? await socket.send("{\"type\":\"error\",\"status\":409,\"reason\":\"\(reason)\"}")
                try? await socket.close(code: .init(codeNumber: 4409))
            }
        }
        // Viewers who may not see behind the privacy masks get the masked relay instead.
        let filter = try await privacyMaskFilter(camera: camera, for: role)
        typealias Viewer = @Sendable (AsyncStream<LiveHub.Message>) async -> Void
        let watch: @Sendable (Viewer) async -> Void
        if let pipeline {
            if let filter {
                guard let relay = await application.recording?.maskedLive(for: camera, filter: filter) else {
                    throw Abort(.conflict, reason: "camera \(camera) is not being recorded here, so it has no live video")
                }
                watch = { viewer in await relay.watch(viewer) }
            } else {
                watch = { viewer in await pipeline.live.watch(viewer) }
            }
        } else {
            let peers = application.clusterPeers!
            watch = { viewer in await peers.watchLive(camera: camera, filter: filter, viewer) }
        }
        let audit = self.audit
        let clock = cityWatch.clock
        let viewers = cityWatch.liveViewers
        let masked = filter != nil
        var startDetails = masked ? extraDetails.merging(["masked": .bool(true)]) { _, masked in masked } : extraDetails
        if let holder { startDetails["relayedFrom"] = .string(holder) }
        let relayedFrom = holder
        // Written before the socket opens: no video is shown that the log does not hold.
        let started = clock()
        try await audit.append(AuditEvent(actor: viewer, action: "video.live.start", target: camera.uuidString, details: startDetails))
        let logger = self.logger
        return webSocket { _, socket in
            let watchdog = SocketGuard.watch(socket, request: self, stillAllowed)
            let feed = Task {
                // The viewer stops being counted when this returns, however it ends.
                await viewers.watching {
                    await watch { messages in
                        for await message in messages {
                            switch message {
                            case let .initialization(bytes, codec):
                                let header = "{\"type\":\"init\",\"codec\":\"\(codec ?? "")\",\"masked\":\(masked)"
                                    + (relayedFrom.map { ",\"relayedFrom\":\"\($0)\"" } ?? "") + "}"
                                try? await socket.send(header)
                                try? await socket.send(raw: bytes, opcode: .binary)
                            case .fragment(let bytes):
                                try? await socket.send(raw: bytes, opcode: .binary)
                            }
                            if socket.isClosed { break }
                        }
                    }
                }
                try? await socket.close()
            }
            socket.onClose.whenComplete { _ in
                feed.cancel()
                watchdog.cancel()
                Task {
                    let ended = clock()
                    do {
                        try await audit.append(AuditEvent(
                            actor: viewer, action: "video.live.end", target: camera.uuidString,
                            details: ["from": .string(ISO8601DateFormatter().string(from: started)),
                                      "to": .string(ISO8601DateFormatter().string(from: ended)),
                                      "seconds": .int(Int64(ended.timeIntervalSince(started).rounded()))]))
                    } catch {
                        logger.error("could not audit the end of a live view", metadata: [
                            "camera": .string(camera.uuidString), "viewer": .string(viewer), "error": .string("\(error)")])
                    }
                }
            }
        }
    }

    /// Where `segment`'s file can be read on this node: its own path, or a copy from the node
    /// that recorded it. 503 "unavailable on node X" when that node is down (the footage is not
    /// lost: it comes back with the node), 404 when it no longer has the file.
    func localSegmentPath(_ segment: SegmentModel) async throws -> String {
        let path = try await localPath(segment)
        // Moved to the archive since its row was read: the row says where it is now.
        if !segment.isArchived, !FileManager.default.fileExists(atPath: path), let id = segment.id,
           let now = try await SegmentModel.find(id, on: db), now.isArchived {
            return try await localPath(now)
        }
        return path
    }

    private func localPath(_ segment: SegmentModel) async throws -> String {
        guard let peers = application.clusterPeers else { return segment.path }
        do {
            return try await peers.localPath(of: segment)
        } catch let unavailable as ClusterPeers.Unavailable {
            throw Abort(unavailable.missing ? .notFound : .serviceUnavailable, reason: unavailable.description)
        }
    }

    /// Streams recorded segment `segment` to `viewer` (masked when `role` may not see behind
    /// the camera's privacy masks), audit-logged as `video.playback` with `extraDetails` once per
    /// viewing session (`session`: the sign-in, or the share) of the segment, whatever byte
    /// ranges the player asks for and however it spells them.
    func segmentFile(_ segment: SegmentModel, viewer: String, role: Role, session: UUID,
                     extraDetails: [String: AuditValue] = [:]) async throws -> Response {
        let id = try segment.requireID()
        // In a cluster the file may be on the node that recorded it: read from there.
        var path = try await localSegmentPath(segment)
        guard FileManager.default.fileExists(atPath: path) else {
            if path.hasPrefix((cityWatch.configuration.archiveDirectory ?? "\u{0}") + "/") {
                throw Abort(.serviceUnavailable, reason: "this recording is in the archive, which cannot be read now (is it mounted?); it plays again when the archive is back")
            }
            throw Abort(.notFound, reason: "the recording file is not on this server (it may have been deleted by retention)")
        }
        // Viewers who may not see behind the privacy masks get a masked copy.
        let filter = try await privacyMaskFilter(camera: segment.cameraID, for: role)
        if let filter {
            let cache = cityWatch.maskedPlayback
            let source = path
            do { path = try await cache.copy(of: source, id: id, filter: filter) } catch {
                logger.error("masked playback failed", metadata: ["segment": "\(id)", "error": "\(error)"])
                throw Abort(.serviceUnavailable, reason: "this camera has privacy masks and the masked copy of the recording could not be made; try again")
            }
            // Playback runs on into the next segment: have its masked copy ready by then.
            if let next = try await RecordingRepository(database: db)
                .segments(camera: segment.cameraID, from: segment.end, to: segment.end.addingTimeInterval(5))
                .first(where: { $0.id != id && $0.start >= segment.start }), let nextID = next.id {
                let peers = application.clusterPeers
                Task {
                    guard let nextPath = try? await peers?.localPath(of: next) ?? next.path else { return }
                    _ = try? await cache.copy(of: nextPath, id: nextID, filter: filter)
                }
            }
        }
        // A player asks for a file in byte ranges, in whatever order and spelling it likes: the
        // first request of the session for the segment is the view, whichever range it names.
        var details: [String: AuditValue] = ["segment": .string(id.uuidString),
                                             "from": .string(ISO8601DateFormatter().string(from: segment.start)),
                                             "to": .string(ISO8601DateFormatter().string(from: segment.end))]
        if filter != nil { details["masked"] = .bool(true) }
        details.merge(extraDetails) { _, extra in extra }
        try await auditOncePerViewing(session: session, item: "segment:\(id)",
                                      AuditEvent(actor: viewer, action: "video.playback", target: segment.cameraID.uuidString, details: details))
        let response = try await fileio.asyncStreamFile(at: path)
        if filter != nil { response.headers.replaceOrAdd(name: "X-CityWatch-Masked", value: "true") }
        response.headers.contentType = HTTPMediaType(type: "video", subType: "mp4")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// Appends `event` to the audit log the first time `session` views `item` (see
    /// ``ViewingSessions``); a line that could not be written is tried again at the next view.
    func auditOncePerViewing(session: UUID, item: String, _ event: AuditEvent) async throws {
        let views = cityWatch.viewingSessions
        guard views.firstView(session: session, item: item, now: cityWatch.clock()) else { return }
        do { try await audit.append(event) } catch {
            views.unmark(session: session, item: item)
            throw error
        }
    }

    /// The camera named by the `id` parameter, if the user may see it (404 otherwise).
    func visibleCamera() async throws -> (Camera, Site) {
        let id = try uuidParameter("id")
        let (snapshot, scope) = try await cameraView()
        guard scope.contains(id), let camera = snapshot.camera(id) else { throw Abort(.notFound, reason: "no camera \(id)") }
        return (camera, snapshot.site(of: camera))
    }

    /// What the console calls `camera` (``CameraDirectory/Snapshot/label(of:)``).
    func cameraLabel(_ camera: Camera) async throws -> String {
        try await cityWatch.directory.snapshot(on: db).label(of: camera)
    }

    /// The camera's privacy masks that a user with `role` may not see behind: none for
    /// administrators and privacy officers.
    func hiddenPrivacyMasks(camera: UUID, for role: Role) async throws -> [ImagePolygon] {
        guard !role.seesBehindPrivacyMasks else { return [] }
        return try await AnalyticsRepository(database: db).settings(for: camera).privacyMasks
    }

    /// The ffmpeg filter that blacks out ``hiddenPrivacyMasks(camera:for:)``; nil when there is
    /// nothing to hide from this user.
    func privacyMaskFilter(camera: UUID, for role: Role) async throws -> String? {
        PrivacyMaskFilter.filter(for: try await hiddenPrivacyMasks(camera: camera, for: role))
    }

    /// The sealer for camera passwords.
    func sealer() throws -> CredentialSealer {
        try CredentialSealer.load(base64: cityWatch.configuration.credentialsKey,
                                  folder: (cityWatch.configuration.dataDirectory as NSString).appendingPathComponent("keys"))
    }

    /// An ISO 8601 time query parameter, or 400 naming it.
    func timeQuery(_ name: String) throws -> Date? {
        guard let text: String = query[name] else { return nil }
        guard let date = Request.parseTime(text) else {
            throw Abort(.badRequest, reason: "\(name) '\(text.prefix(40))' must be an ISO 8601 time such as 2026-11-26T09:00:00Z")
        }
        return date
    }
}
