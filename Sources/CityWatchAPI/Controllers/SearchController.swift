import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

/// Smart search over the analytics metadata, and the recorded frames its answers show.
struct SearchController: RouteCollection {
    /// The longest a search may take before it is abandoned with a reason.
    static let timeLimit = Duration.seconds(15)

    func boot(routes: any RoutesBuilder) throws {
        routes.endpoint(.POST, "api", "search", access: RecordingController.viewers, use: search)
        routes.endpoint(.POST, "api", "search", "export", access: RecordingController.viewers, use: export)
        routes.endpoint(.GET, "api", "cameras", ":id", "frame", access: RecordingController.viewers, use: frame)
    }

    func search(req: Request) async throws -> SearchResponse {
        let user = try req.requireUser()
        let query = try req.decodeStrict(SearchRequest.self).query()
        let (snapshot, scope) = try await req.cameraView()
        let (cameras, result) = try await run(query, snapshot: snapshot, scope: scope, on: req)
        try await req.audit.append(SearchService.auditEvent(actor: user.username, query: query, cameras: cameras, result: result))
        return SearchResponse(result, query: query)
    }

    /// `POST /api/search/export`: the same query's episodes (all of them, up to
    /// ``CityWatchDomain/SearchQuery/maximumExportLimit``, from `offset`) as a CSV download.
    func export(req: Request) async throws -> Response {
        let user = try req.requireUser()
        var query = try req.decodeStrict(SearchRequest.self).query()
        query.limit = SearchQuery.maximumExportLimit
        let (snapshot, scope) = try await req.cameraView()
        let (cameras, result) = try await run(query, snapshot: snapshot, scope: scope, on: req)
        try await req.audit.append(SearchService.auditEvent(actor: user.username, query: query, cameras: cameras, result: result,
                                                            action: "search.export"))
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"citywatch-search.csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        headers.replaceOrAdd(name: "X-CityWatch-Total", value: String(result.total))
        return Response(status: .ok, headers: headers, body: .init(string: SearchEpisodesCSV.text(result.episodes, snapshot: snapshot)))
    }

    /// Runs `query` over the cameras it names that the user may see, within ``timeLimit``.
    private func run(_ query: SearchQuery, snapshot: CameraDirectory.Snapshot, scope: CameraScope,
                     on req: Request) async throws -> (Set<UUID>, SearchService.Result) {
        if let ids = query.cameras.ids, let hidden = ids.first(where: { !scope.contains($0) || snapshot.camera($0) == nil }) {
            throw Abort(.notFound, reason: "no camera \(hidden)")
        }
        let cameras = SearchService.cameras(for: query.cameras, snapshot: snapshot, scope: scope)
        let service = SearchService(database: req.db)
        do {
            let result = try await withThrowingTaskGroup(of: SearchService.Result?.self) { group in
                group.addTask { try await service.run(query, cameras: cameras) }
                group.addTask {
                    try await Task.sleep(for: Self.timeLimit)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let answer = first else {
                    throw Abort(.serviceUnavailable, reason: "the search took longer than \(Self.timeLimit); choose fewer cameras or a shorter period")
                }
                return answer
            }
            return (cameras, result)
        } catch let refusal as SearchService.Refusal {
            throw Abort(.badRequest, reason: refusal.reason)
        }
    }

    /// `GET /api/cameras/:id/frame?at=…`: the recorded frame at a moment, as a small JPEG.
    func frame(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (camera, _) = try await req.visibleCamera()
        guard let at = try req.timeQuery("at") else { throw Abort(.badRequest, reason: "at: give the moment, an ISO 8601 time") }
        let width = min(max((req.query["width"] as Int?) ?? 320, 64), 1280)
        guard let segment = try await req.recordedFile(camera: camera.id, at: at) else {
            throw Abort(.notFound, reason: "nothing of camera \(camera.id) is recorded at \(ISO8601DateFormatter().string(from: at)) on this server")
        }
        let masks = try await req.hiddenPrivacyMasks(camera: camera.id, for: user.role)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-frame-\(UUID().uuidString).jpg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            try await SnapshotMaker().jpeg(file: segment.path, at: at.timeIntervalSince(segment.start), outputWidth: width, masks: masks, to: path)
        } catch {
            throw Abort(.serviceUnavailable, reason: "the frame could not be read from the recording: \(error)")
        }
        try await req.audit.append(AuditEvent(actor: user.username, action: "video.frame", target: camera.id.uuidString,
                                              details: ["at": .string(ISO8601DateFormatter().string(from: at))]
                                                  .merging(masks.isEmpty ? [:] : ["masked": .bool(true)]) { a, _ in a }))
        return Response.privateJPEG(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

extension Request {
    /// The recording on this server that holds moment `at` of `camera`: the indexed segment
    /// starting last at or before it (at a boundary the next segment, not the end of the one
    /// before, whose name is rounded down to the second), else the segment the recorder is
    /// writing now, which is indexed only when it closes.
    func recordedFile(camera: UUID, at: Date) async throws -> (path: String, start: Date)? {
        let segments = try await RecordingRepository(database: db).segments(camera: camera, from: at, to: at.addingTimeInterval(0.001))
        for segment in segments.reversed() {
            // In a cluster, read from the node that recorded it (503 while that node is down).
            let path = try await localSegmentPath(segment)
            if FileManager.default.fileExists(atPath: path) { return (path, segment.start) }
        }
        guard let open = await application.recording?.pipeline(for: camera)?.segmentBeingWritten(), open.start <= at,
              at <= cityWatch.clock(), FileManager.default.fileExists(atPath: open.path) else { return nil }
        return (open.path, open.start)
    }
}
