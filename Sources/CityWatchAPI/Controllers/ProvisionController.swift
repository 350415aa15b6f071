import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

/// Police provision (영상 제공): requests, the privacy officer's decision, masking boxes, the
/// masked export, the ledger and the view log as CSV, and data-subject requests.
struct ProvisionController: RouteCollection {
    /// Who files requests: the police desk, and operators or administrators on their behalf.
    static let filers = Access.only(.administrator, .operator, .police)
    /// Who reads requests (police only their own).
    static let readers = Access.only(.administrator, .operator, .police, .privacyOfficer)
    /// Who decides.
    static let deciders = Access.only(.privacyOfficer)
    /// Who marks third parties.
    static let markers = Access.only(.administrator, .operator)
    /// Who exports approved requests.
    static let exporters = Access.only(.administrator, .operator, .privacyOfficer)
    /// Who reads the ledger and the view log.
    static let auditors = Access.only(.administrator, .privacyOfficer)
    /// Who records and reads data-subject requests.
    static let subjectDesk = Access.only(.administrator, .operator, .privacyOfficer)
    /// Who answers them.
    static let subjectAnswerers = Access.only(.administrator, .privacyOfficer)

    func boot(routes: any RoutesBuilder) throws {
        let provision = routes.grouped("api", "provision")
        provision.endpoint(.POST, "requests", access: Self.filers, use: create)
        provision.endpoint(.GET, "requests", access: Self.readers, use: list)
        provision.endpoint(.GET, "requests", ":id", access: Self.readers, use: read)
        provision.endpoint(.POST, "requests", ":id", "approve", access: Self.deciders, use: approve)
        provision.endpoint(.POST, "requests", ":id", "refuse", access: Self.deciders, use: refuse)
        provision.endpoint(.PUT, "requests", ":id", "boxes", access: Self.markers, use: setBoxes)
        provision.endpoint(.POST, "requests", ":id", "export", access: Self.exporters, use: export)
        provision.endpoint(.GET, "requests", ":id", "export", access: Self.exporters, use: exportJob)
        provision.endpoint(.GET, "requests", ":id", "download", access: Self.exporters, use: download)
        provision.endpoint(.GET, "ledger", access: Self.auditors, use: ledger)
        provision.endpoint(.GET, "ledger.csv", access: Self.auditors, use: ledgerCSV)
        provision.endpoint(.GET, "viewlog.csv", access: Self.auditors, use: viewLogCSV)
        provision.endpoint(.POST, "subjects", access: Self.subjectDesk, use: createSubject)
        provision.endpoint(.GET, "subjects", access: Self.subjectDesk, use: subjects)
        provision.endpoint(.POST, "subjects", ":id", "answer", access: Self.subjectAnswerers, use: answerSubject)
    }

    func service(_ req: Request) -> ProvisionService {
        ProvisionService(database: req.db, configuration: req.cityWatch.configuration, clock: req.cityWatch.clock, peers: req.application.clusterPeers)
    }

    /// Answers 404 for a camera the user may not see.
    func checkVisible(_ ids: [UUID], _ req: Request) async throws {
        let (snapshot, scope) = try await req.cameraView()
        for id in ids where !scope.contains(id) || snapshot.camera(id) == nil { throw Abort(.notFound, reason: "no camera \(id)") }
    }

    /// Which requests the signed-in user may see: police their own; operators those whose
    /// cameras are all in their camera groups (as for exporting); administrators and privacy
    /// officers every one.
    func readable(_ req: Request) async throws -> @Sendable (ProvisionRequest) -> Bool {
        let user = try req.requireUser()
        switch user.role {
        case .police: return { $0.requestedBy == user.username }
        case .operator:
            let (snapshot, scope) = try await req.cameraView()
            return { request in request.cameraIds.allSatisfy { scope.contains($0) && snapshot.camera($0) != nil } }
        default: return { _ in true }
        }
    }

    /// The request `:id` as the user may see it (404 otherwise, see ``readable(_:)``).
    func visibleRequest(_ req: Request) async throws -> ProvisionRequest {
        let id = try req.uuidParameter("id")
        let request = try await service(req).request(id)
        guard try await readable(req)(request) else { throw ProvisionService.NotFound(id: id) }
        return request
    }

    func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let body = try req.decodeStrict(CreateProvisionBody.self)
        try await checkVisible(body.cameraIds, req)
        let request = try await service(req).file(body.draft, actor: user.username)
        let response = try await request.encodeResponse(for: req)
        response.status = .created
        return response
    }

    func list(req: Request) async throws -> [ProvisionRequest] {
        let user = try req.requireUser()
        let requests = try await ProvisionRepository(database: req.db).requests(requestedBy: user.role == .police ? user.username : nil)
            .filter(try await readable(req))
        try await req.audit.append(AuditEvent(actor: user.username, action: "provision.list", target: "requests",
                                              details: ["count": .int(Int64(requests.count))]))
        return requests
    }

    func read(req: Request) async throws -> ProvisionRequest {
        let user = try req.requireUser()
        let request = try await visibleRequest(req)
        try await req.audit.append(AuditEvent(actor: user.username, action: "provision.read", target: request.id.uuidString))
        return request
    }

    func approve(req: Request) async throws -> ProvisionRequest {
        let user = try req.requireUser()
        return try await service(req).approve(try req.uuidParameter("id"), actor: user.username, role: user.role)
    }

    func refuse(req: Request) async throws -> ProvisionRequest {
        let user = try req.requireUser()
        let id = try req.uuidParameter("id")
        let body = try req.decodeStrict(RefuseProvisionBody.self)
        return try await service(req).refuse(id, reason: body.reason, actor: user.username, role: user.role)
    }

    func setBoxes(req: Request) async throws -> ProvisionRequest {
        let user = try req.requireUser()
        let id = try req.uuidParameter("id")
        let body = try req.decodeStrict(ProvisionBoxesBody.self)
        try await checkVisible(try await service(req).request(id).cameraIds, req)
        return try await service(req).setBoxes(id, boxes: body.boxes, actor: user.username)
    }

    /// Exports an approved request. With `?background=true` the answer is 202 at once with the
    /// job (`GET …/export` follows it); otherwise the answer waits for the export, as before.
    /// Either way the export runs as the request's one job, so every console sees its progress.
    func export(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let id = try req.uuidParameter("id")
        let provision = service(req)
        let request = try await provision.request(id)
        if user.role != .privacyOfficer { try await checkVisible(request.cameraIds, req) }
        try request.checkExportable()
        // The job outlives this request: it works on the application's database, not the request's.
        let background = ProvisionService(database: req.application.db, configuration: req.cityWatch.configuration, clock: req.cityWatch.clock,
                                          peers: req.application.clusterPeers)
        let jobs = req.cityWatch.provisionExports
        let (job, _) = try await jobs.start(id, by: user.username) { progress in
            try await background.export(id, actor: user.username, onProgress: progress)
        }
        if (req.query["background"] as String?) == "true" {
            let response = try await ProvisionExportJobDTO(job, result: nil).encodeResponse(for: req)
            response.status = .accepted
            response.headers.replaceOrAdd(name: .location, value: "/api/provision/requests/\(id.uuidString.lowercased())/export")
            return response
        }
        guard let (ended, outcome) = try await jobs.wait(id) else { throw Abort(.internalServerError, reason: "the export job was not kept") }
        if case .local(.failure(let failure)) = outcome {
            if let stopping = failure as? ExportServerStopping { throw Abort(.serviceUnavailable, reason: stopping.description) }
            if let problem = failure as? EvidenceService.Problem {
                if case .unavailable = problem { throw Abort(.serviceUnavailable, reason: problem.description) }
                throw Abort(.badRequest, reason: problem.description)
            }
            throw failure
        }
        guard let result = try await exportResult(ended, outcome: outcome, req: req) else {
            throw Abort(.conflict, reason: "the export of request \(id) on \(ended.node) ended \(ended.state.rawValue): "
                        + (ProvisionExportJobDTO(ended, result: nil).error ?? "no reason recorded"))
        }
        let response = try await result.encodeResponse(for: req)
        response.status = .created
        return response
    }

    /// How the request's export is getting on, on whichever node runs it (404 when none ran).
    func exportJob(req: Request) async throws -> ProvisionExportJobDTO {
        let request = try await visibleRequest(req)
        let jobs = req.cityWatch.provisionExports
        guard let job = try await jobs.job(request.id) else {
            throw Abort(.notFound, reason: "no export of request \(request.id) has been started")
        }
        // Only an ended job's outcome: waiting on a running one would hold this answer for the whole export.
        let outcome: ProvisionExportJobs.Outcome = job.state == .running ? .recorded
            : await jobs.localOutcome(request.id, runID: job.runID).map { .local($0) } ?? .recorded
        return ProvisionExportJobDTO(job, result: try await exportResult(job, outcome: outcome, req: req))
    }

    /// What a done export produced: from this node's own run, or else from the request and its
    /// ledger line in the store. Nil unless done.
    private func exportResult(_ job: ExportJobRecord, outcome: ProvisionExportJobs.Outcome, req: Request) async throws -> ProvisionExportDTO? {
        guard job.state == .done else { return nil }
        if case .local(.success(let provided)) = outcome { return ProvisionExportDTO(provided) }
        let repository = ProvisionRepository(database: req.db)
        guard let request = try await repository.request(job.id), let entry = try await repository.ledgerEntry(request: job.id) else {
            return nil
        }
        return ProvisionExportDTO(request: request, manifest: nil, ledgerEntry: entry)
    }

    /// The provided footage as a zip, for whoever may see the request (a privacy officer
    /// without camera groups included; an operator only with all its cameras' groups).
    func download(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let request = try await visibleRequest(req)
        guard let exportID = request.exportId else {
            throw ProvisionProblem.wrongState(action: "download", status: request.status)
        }
        let evidence = EvidenceService(database: req.db, configuration: req.cityWatch.configuration, clock: req.cityWatch.clock,
                                       peers: req.application.clusterPeers)
        // In a cluster the export may have been made on another node: fetched from it.
        guard try await ExportController.localExport(exportID, evidence) != nil else {
            throw Abort(.notFound, reason: "the provided footage of request \(request.id) (export \(exportID)) is on no node of the cluster")
        }
        let zipPath = try await evidence.zipped(exportID: exportID)
        try await req.audit.append(AuditEvent(actor: user.username, action: "video.export.download", target: exportID.uuidString,
                                              details: ["provisionRequest": .string(request.id.uuidString),
                                                        "cameras": .list(request.cameraIds.map { .string($0.uuidString) })]))
        let response = try await req.fileio.asyncStreamFile(at: zipPath)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "zip")
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"citywatch-provision-\(request.id.uuidString.lowercased().prefix(8)).zip\"")
        return response
    }

    func ledger(req: Request) async throws -> [ProvisionLedgerEntry] {
        let user = try req.requireUser()
        let entries = try await ProvisionRepository(database: req.db).ledger()
        try await req.audit.append(AuditEvent(actor: user.username, action: "provision.ledger", target: "ledger",
                                              details: ["rows": .int(Int64(entries.count))]))
        return entries
    }

    func ledgerCSV(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return Self.csv(try await service(req).ledgerCSV(actor: user.username), name: "provision-ledger.csv")
    }

    func viewLogCSV(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let text = try await service(req).viewLogCSV(since: try req.timeQuery("since"), until: try req.timeQuery("until"), actor: user.username)
        return Self.csv(text, name: "video-view-log.csv")
    }

    func createSubject(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let body = try req.decodeStrict(CreateSubjectBody.self)
        try await checkVisible(body.cameraIds ?? [], req)
        let request = try await service(req).receiveSubjectRequest(subjectName: body.subjectName, contact: body.contact,
                                                                   description: body.description, cameraIds: body.cameraIds ?? [],
                                                                   actor: user.username)
        let response = try await SubjectRequestDTO(request, now: req.cityWatch.clock()).encodeResponse(for: req)
        response.status = .created
        return response
    }

    /// Which data-subject requests (names, phone numbers) the user may see: administrators every
    /// one; others those they received and those whose cameras are all in their groups; privacy
    /// officers, who answer them, also those that name no camera yet (nothing ties them to a
    /// district).
    func readableSubject(_ req: Request) async throws -> @Sendable (DataSubjectRequest) -> Bool {
        let user = try req.requireUser()
        guard user.role != .administrator else { return { _ in true } }
        let (snapshot, scope) = try await req.cameraView()
        let answersUnplaced = user.role == .privacyOfficer
        return { request in
            request.receivedBy == user.username
                || (request.cameraIds.isEmpty ? answersUnplaced
                    : request.cameraIds.allSatisfy { scope.contains($0) && snapshot.camera($0) != nil })
        }
    }

    func subjects(req: Request) async throws -> [SubjectRequestDTO] {
        let user = try req.requireUser()
        let now = req.cityWatch.clock()
        let readable = try await readableSubject(req)
        let requests = try await ProvisionRepository(database: req.db).subjectRequests().filter(readable)
        try await req.audit.append(AuditEvent(actor: user.username, action: "subject.list", target: "subjects",
                                              details: ["count": .int(Int64(requests.count))]))
        return requests.map { SubjectRequestDTO($0, now: now) }
    }

    func answerSubject(req: Request) async throws -> SubjectRequestDTO {
        let user = try req.requireUser()
        let id = try req.uuidParameter("id")
        let body = try req.decodeStrict(AnswerSubjectBody.self)
        guard let open = try await ProvisionRepository(database: req.db).subjectRequests().first(where: { $0.id == id }),
              try await readableSubject(req)(open) else { throw Abort(.notFound, reason: "no data-subject request \(id)") }
        let request = try await service(req).closeSubjectRequest(id, outcome: body.outcome, note: body.note ?? "", actor: user.username)
        return SubjectRequestDTO(request, now: req.cityWatch.clock())
    }

    static func csv(_ text: String, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
