import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

/// Evidence exports from the console.
struct ExportController: RouteCollection {
    /// Who may export video.
    static let exporters = Access.only(.administrator, .operator, .privacyOfficer)

    struct CreateExportRequest: Content, StrictContent {
        static let allowedKeys: Set<String> = ["cameraIds", "from", "to", "reason"]
        var cameraIds: [UUID]
        var from: Date
        var to: Date
        var reason: String
    }

    struct ExportDTO: Content {
        var id: UUID
        var manifest: EvidenceManifest
        var download: String
        var signingKeyFingerprint: String
        /// When the export is deleted (at the earliest: a legal hold on its footage keeps it longer).
        var keptUntil: Date
    }

    func boot(routes: any RoutesBuilder) throws {
        let exports = routes.grouped("api", "exports")
        exports.endpoint(.POST, access: Self.exporters, use: create)
        exports.endpoint(.GET, access: Self.exporters, use: list)
        exports.endpoint(.GET, ":id", "download", access: Self.exporters, use: download)
        exports.endpoint(.GET, "jobs", ":id", access: Self.exporters, use: job)
        exports.endpoint(.DELETE, ":id", access: Self.destroyers, use: destroy)
    }

    /// Who may destroy an export before its days are over: whoever answers for the privacy law.
    static let destroyers = Access.only(.administrator, .privacyOfficer)

    struct DestroyExportRequest: Content, StrictContent {
        static let allowedKeys: Set<String> = ["reason"]
        var reason: String
    }

    struct DestroyedExportDTO: Content {
        var id: UUID
        var deletedAt: Date
        var destroyedBy: String
        var reason: String
        var cameraIds: [UUID]
    }

    /// Destroys an export now (the police have their copy, the case is closed), on every node
    /// of the cluster; refused while a legal hold covers its footage.
    func destroy(req: Request) async throws -> DestroyedExportDTO {
        let user = try req.requireUser()
        let id = try req.uuidParameter("id")
        let body = try req.decodeStrict(DestroyExportRequest.self)
        let (_, scope) = try await req.cameraView()
        let service = EvidenceService(database: req.db, configuration: req.cityWatch.configuration, clock: req.cityWatch.clock,
                                      peers: req.application.clusterPeers)
        let holds = try await RecordingRepository(database: req.db).retentionHolds()
        do {
            // As the list shows them: exports of cameras in the user's scope, and provided footage.
            let deletion = try await service.destroyExport(id, reason: body.reason, actor: user.username, holds: holds,
                                                           node: req.application.clusterPeers?.node) { manifest in
                manifest.provisionRequestId != nil || manifest.cameras.allSatisfy { scope.contains($0.cameraId) }
            }
            return DestroyedExportDTO(id: id, deletedAt: deletion.deletedAt, destroyedBy: user.username, reason: deletion.reason ?? "",
                                      cameraIds: deletion.cameras)
        } catch let problem as EvidenceService.DestructionProblem {
            switch problem {
            case .reasonRequired: throw Abort(.badRequest, reason: problem.description)
            case .noExport: throw Abort(.notFound, reason: problem.description)
            case .deleted: throw Abort(.gone, reason: problem.description)
            case .held, .olderNodes: throw Abort(.conflict, reason: problem.description)
            }
        } catch let problem as EvidenceService.Problem {
            throw Abort(.serviceUnavailable, reason: problem.description)
        }
    }

    func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let body = try req.decodeStrict(CreateExportRequest.self)
        let (snapshot, scope) = try await req.cameraView()
        for id in body.cameraIds where !scope.contains(id) || snapshot.camera(id) == nil {
            throw Abort(.notFound, reason: "no camera \(id)")
        }
        if (req.query["background"] as String?) == "true" { return try await startJob(body, user: user, req: req) }
        let service = EvidenceService(database: req.db, configuration: req.cityWatch.configuration, clock: req.cityWatch.clock,
                                      peers: req.application.clusterPeers)
        let manifest: EvidenceManifest
        do {
            // Stopped (not waited for) when the server shuts down while it runs.
            let unmasked = user.role.seesBehindPrivacyMasks, actor = user.username
            (manifest, _) = try await req.cityWatch.inFlight.stoppable {
                try await service.export(cameraIDs: body.cameraIds, from: body.from, to: body.to, reason: body.reason, actor: actor, unmasked: unmasked)
            }
        } catch let problem as EvidenceService.Problem {
            if case .unavailable = problem { throw Abort(.serviceUnavailable, reason: problem.description) }
            throw Abort(.badRequest, reason: problem.description)
        } catch is CancellationError {
            // The server is stopping and the export would have outlasted it; the exporter has
            // removed what it wrote.
            throw Abort(.serviceUnavailable, reason: "the server stopped during the export; nothing was exported; export again when it is back")
        }
        let response = try await Self.made(manifest, service).encodeResponse(for: req)
        response.status = .created
        return response
    }

    /// What `POST /api/exports` answers for an export made.
    static func made(_ manifest: EvidenceManifest, _ service: EvidenceService) throws -> ExportDTO {
        ExportDTO(id: manifest.exportId, manifest: manifest, download: "/api/exports/\(manifest.exportId.uuidString.lowercased())/download",
                  signingKeyFingerprint: try service.signingKey().fingerprint, keptUntil: service.keptUntil(manifest.createdAt))
    }

    /// `POST /api/exports?background=true`: checks what can be checked at once (400), then
    /// answers 202 with the job, which runs on (its state in the shared store: any node's
    /// `GET /api/exports/jobs/:id` follows it).
    private func startJob(_ body: CreateExportRequest, user: SignedInUser, req: Request) async throws -> Response {
        let reason: String
        do {
            reason = try EvidenceService.check(cameraIDs: body.cameraIds, from: body.from, to: body.to, reason: body.reason)
        } catch let problem as EvidenceService.Problem {
            throw Abort(.badRequest, reason: problem.description)
        }
        // The job outlives this request: it works on the application's database, not the request's.
        let service = EvidenceService(database: req.application.db, configuration: req.cityWatch.configuration, clock: req.cityWatch.clock,
                                      peers: req.application.clusterPeers)
        let (cameras, from, to, actor, unmasked) = (body.cameraIds, body.from, body.to, user.username, user.role.seesBehindPrivacyMasks)
        let (job, _) = try await req.cityWatch.evidenceExports.start(UUID(), by: actor, cameraIDs: cameras) { progress in
            try await service.export(cameraIDs: cameras, from: from, to: to, reason: reason, actor: actor, unmasked: unmasked,
                                     onProgress: progress).0
        }
        let response = try await EvidenceExportJobDTO(job, result: nil).encodeResponse(for: req)
        response.status = .accepted
        response.headers.replaceOrAdd(name: .location, value: "/api/exports/jobs/\(job.id.uuidString.lowercased())")
        return response
    }

    /// `GET /api/exports/jobs/:id`: how a background export is getting on, on whichever node
    /// runs it; once done, what `POST /api/exports` answers. 404 for a job of cameras the user
    /// may not see.
    func job(req: Request) async throws -> EvidenceExportJobDTO {
        let id = try req.uuidParameter("id")
        let (_, scope) = try await req.cameraView()
        guard let job = try await req.cityWatch.evidenceExports.job(id), !job.cameraIDs.isEmpty,
              job.cameraIDs.allSatisfy({ scope.contains($0) }) else { throw Abort(.notFound, reason: "no export job \(id)") }
        guard job.state == .done, let exportID = job.exportID else { return EvidenceExportJobDTO(job, result: nil) }
        // Made on another node: its folder is fetched from there, as a download would.
        let service = EvidenceService(database: req.db, configuration: req.cityWatch.configuration, clock: req.cityWatch.clock,
                                      peers: req.application.clusterPeers)
        guard let folder = try await Self.localExport(exportID, service), let manifest = EvidenceManifest.read(folder: folder)
        else { throw Abort(.notFound, reason: "no export \(exportID)") }
        return EvidenceExportJobDTO(job, result: try Self.made(manifest, service))
    }

    /// A background export as it runs (`GET /api/exports/jobs/:id`).
    typealias EvidenceExportJobDTO = ExportJobDTO<EvidenceExportJobFields>

    struct EvidenceExportJobFields: Content {
        var id: UUID
        var cameraIds: [UUID]
        /// Once done: what `POST /api/exports` answers.
        var result: ExportDTO?
    }

    /// An export made, for the list: its download while it is kept.
    struct ExportRecordDTO: Content {
        var record: EvidenceService.ExportRecord
        var download: String?

        func encode(to encoder: any Encoder) throws {
            try record.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(download, forKey: .download)
        }

        enum Key: String, CodingKey { case download }
    }

    /// The latest exports the user may download (`limit`, default 50, at most 500; `cameraId`:
    /// only those holding that camera; `before`: only those made before that time; `after`: the
    /// next page, those listed after that export; `id`: that export alone): those of cameras they may see, and footage provided to
    /// the police as its request allows (an operator needs every camera of it; administrators
    /// and privacy officers see it all).
    func list(req: Request) async throws -> [ExportRecordDTO] {
        let user = try req.requireUser()
        let limitText: String? = req.query["limit"]
        let limit = try limitText.map { text -> Int in
            guard let value = Int(text), (1...500).contains(value) else {
                throw Abort(.badRequest, reason: "limit '\(text.prefix(20))' must be a whole number from 1 to 500")
            }
            return value
        } ?? 50
        /// Query parameter `name` as an id, if given; 400 naming it when it is no UUID.
        func id(_ name: String, of what: String) throws -> UUID? {
            guard let text: String = req.query[name] else { return nil }
            guard let id = UUID(uuidString: text) else { throw Abort(.badRequest, reason: "\(name) '\(text.prefix(40))' is not \(what) (UUID)") }
            return id
        }
        let camera = try id("cameraId", of: "a camera id")
        let before = try req.timeQuery("before")
        let after = try id("after", of: "an export id")
        let only = try id("id", of: "an export id")
        let (_, scope) = try await req.cameraView()
        let service = EvidenceService(database: req.db, configuration: req.cityWatch.configuration, clock: req.cityWatch.clock)
        let seesAllProvided = user.role != .operator
        let records: [EvidenceService.ExportRecord]
        do {
            records = try await service.recentExports(limit: limit, before: before, after: after, only: only) { record in
                (camera.map { record.cameraIds.contains($0) } ?? true)
                    && (record.cameraIds.allSatisfy { scope.contains($0) } || (record.provisionRequestId != nil && seesAllProvided))
            }
        } catch let unknown as EvidenceService.UnknownExport {
            throw Abort(.badRequest, reason: "after '\(unknown.id.uuidString.lowercased())' is no export: give the id of the last export listed")
        }
        return records.map { record in
            // Provided footage downloads through its request, which is what decides who may have it.
            let download = record.provisionRequestId.map { "/api/provision/requests/\($0.uuidString.lowercased())/download" }
                ?? "/api/exports/\(record.id.uuidString.lowercased())/download"
            return ExportRecordDTO(record: record, download: record.deletedAt == nil ? download : nil)
        }
    }

    func download(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let id = try req.uuidParameter("id")
        let service = EvidenceService(database: req.db, configuration: req.cityWatch.configuration, clock: req.cityWatch.clock,
                                      peers: req.application.clusterPeers)
        let (_, scope) = try await req.cameraView()
        // In a cluster the export may have been made on another node: fetched from it.
        let folder = try await Self.localExport(id, service) { cameras in !cameras.isEmpty && cameras.allSatisfy { scope.contains($0) } }
        guard let folder, let manifest = EvidenceManifest.read(folder: folder) else { throw Abort(.notFound, reason: "no export \(id)") }
        guard manifest.cameras.allSatisfy({ scope.contains($0.cameraId) }) else { throw Abort(.notFound, reason: "no export \(id)") }
        do {
            try await EvidenceDownloadPolicy.check(manifest, role: user.role) { camera in
                !(try await req.hiddenPrivacyMasks(camera: camera, for: user.role)).isEmpty
            }
        } catch let refusal as EvidenceDownloadPolicy.Refusal {
            try await req.audit.append(AuditEvent(actor: user.username, action: "video.export.download.refused", target: id.uuidString,
                                                  details: ["reason": .string(refusal.description)]))
            throw Abort(.forbidden, reason: refusal.description)
        }
        let zipPath = try await service.zipped(exportID: id)
        try await req.audit.append(AuditEvent(actor: user.username, action: "video.export.download", target: id.uuidString))
        let response = try await req.fileio.asyncStreamFile(at: zipPath)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "zip")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"citywatch-evidence-\(id.uuidString.lowercased().prefix(8)).zip\"")
        return response
    }
}

extension ExportJobDTO where Fields == ExportController.EvidenceExportJobFields {
    init(_ job: ExportJobRecord, result: ExportController.ExportDTO?) {
        self.init(status: ExportJobStatus(job), fields: .init(id: job.id, cameraIds: job.cameraIDs, result: result))
    }
}

extension ExportController {
    /// Export `id`'s folder on this node (fetched from the node that made it), nil when no node
    /// has it; 503 when a node that may hold it is down. Once it is deleted (its days over, or
    /// destroyed early: a copy another node has not yet removed is not given out), 410 when
    /// `mayKnow` lets the user learn so of the cameras it held, else nil.
    static func localExport(_ id: UUID, _ service: EvidenceService, mayKnow: ([UUID]) -> Bool = { _ in true }) async throws -> String? {
        if let deletion = try await service.deletion(of: id) {
            guard mayKnow(deletion.cameras) else { return nil }
            throw Abort(.gone, reason: deletion.explanation(id))
        }
        do {
            return try await service.localExport(id)
        } catch let problem as EvidenceService.Problem {
            throw Abort(.serviceUnavailable, reason: problem.description)
        }
    }
}

extension EvidenceManifest: Content {}
