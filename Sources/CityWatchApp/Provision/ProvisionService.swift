import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation

/// Police provision (개인영상정보 제공): a request is filed, a privacy officer approves or
/// refuses it, an operator marks the third parties to blur, the approved footage is exported
/// with them and the privacy zones blurred, and the provision goes into the ledger. Every step
/// is audit-logged; the decisions themselves are the domain's (``ProvisionRequest``).
public struct ProvisionService: Sendable {
    /// A request or data-subject request that is not stored.
    public struct NotFound: Error, CustomStringConvertible {
        public var id: UUID
        public var description: String { "no provision request \(id)" }

        public init(id: UUID) {
            self.id = id
        }
    }

    let database: any Database
    let evidence: EvidenceService
    let clock: @Sendable () -> Date

    public init(database: any Database, configuration: Configuration, tools: MediaTools = MediaTools(),
                clock: @escaping @Sendable () -> Date = { Date() }, peers: ClusterPeers? = nil) {
        self.database = database
        self.evidence = EvidenceService(database: database, configuration: configuration, tools: tools, clock: clock, peers: peers)
        self.clock = clock
    }

    var repository: ProvisionRepository { ProvisionRepository(database: database) }
    var audit: AuditLog { AuditLog(database: database, clock: clock) }

    /// Files a request.
    public func file(_ draft: ProvisionRequest.Draft, actor: String) async throws -> ProvisionRequest {
        let request = try ProvisionRequest(draft: draft, requestedBy: actor, at: clock())
        try await repository.create(request)
        try await audit.append(AuditEvent(actor: actor, action: "provision.request", target: request.id.uuidString, details: [
            "agency": .string(request.agency), "caseNumber": .string(request.caseNumber), "legalBasis": .string(request.legalBasis.rawValue),
            "cameras": .list(request.cameraIds.map { .string($0.uuidString) }),
            "from": .string(Self.iso(request.from)), "to": .string(Self.iso(request.to)),
        ]))
        return request
    }

    /// The request `id`.
    public func request(_ id: UUID) async throws -> ProvisionRequest {
        guard let request = try await repository.request(id) else { throw NotFound(id: id) }
        return request
    }

    /// Reads request `id`, lets `change` alter it (or refuse by throwing) and stores it, with no
    /// other change to it in between on any node: of an approval and a refusal at once, the
    /// second finds the request decided.
    func change(_ id: UUID, _ change: @escaping @Sendable (inout ProvisionRequest) throws -> Void) async throws -> ProvisionRequest {
        try await database.lockedTransaction(Self.lockKey(id)) { tx in
            let repository = ProvisionRepository(database: tx)
            guard var request = try await repository.request(id) else { throw NotFound(id: id) }
            try change(&request)
            try await repository.save(request)
            return request
        }
    }

    /// The lock of request `id`'s record.
    static func lockKey(_ id: UUID) -> String { "citywatch.provision.\(id.uuidString)" }

    /// Approves a request (privacy officers only, never their own).
    public func approve(_ id: UUID, actor: String, role: Role) async throws -> ProvisionRequest {
        let now = clock()
        let request = try await change(id) { try $0.approve(by: actor, role: role, at: now) }
        try await audit.append(AuditEvent(actor: actor, action: "provision.approve", target: id.uuidString,
                                          details: ["caseNumber": .string(request.caseNumber)]))
        return request
    }

    /// Refuses a request with a reason.
    public func refuse(_ id: UUID, reason: String, actor: String, role: Role) async throws -> ProvisionRequest {
        let now = clock()
        let request = try await change(id) { try $0.refuse(by: actor, role: role, reason: reason, at: now) }
        try await audit.append(AuditEvent(actor: actor, action: "provision.refuse", target: id.uuidString,
                                          details: ["reason": .string(request.refusalReason ?? "")]))
        return request
    }

    /// Replaces the boxes to blur.
    public func setBoxes(_ id: UUID, boxes: [MaskingBox], actor: String) async throws -> ProvisionRequest {
        let request = try await change(id) { try $0.setBoxes(boxes) }
        try await audit.append(AuditEvent(actor: actor, action: "provision.boxes", target: id.uuidString,
                                          details: ["boxes": .int(Int64(boxes.count))]))
        return request
    }

    /// What an export produced.
    public struct Provided: Sendable {
        public var request: ProvisionRequest
        public var manifest: EvidenceManifest
        public var ledgerEntry: ProvisionLedgerEntry
        /// The export's folder.
        public var folder: String
    }

    /// Exports an approved request with third parties blurred, marks it exported and enters
    /// it in the ledger.
    public func export(_ id: UUID, actor: String, onProgress: (@Sendable (EvidenceExporter.Progress) -> Void)? = nil) async throws -> Provided {
        var request = try await request(id)
        try request.checkExportable()
        let reason = "개인영상정보 제공 \(request.agency) \(request.caseNumber)"
        let (manifest, folder) = try await evidence.export(
            cameraIDs: request.cameraIds, from: request.from, to: request.to, reason: String(reason.prefix(500)), actor: actor,
            provision: .init(requestID: request.id, boxes: request.boxes), onProgress: onProgress)
        let now = clock()
        let digest = try EvidenceVerifier.sha256(ofFile: (folder as NSString).appendingPathComponent(EvidenceManifest.manifestName))
        let exportedBoxes = request.boxes
        let entry: ProvisionLedgerEntry
        do {
            (request, entry) = try await database.lockedTransaction(Self.lockKey(id)) { tx in
                let repository = ProvisionRepository(database: tx)
                guard var current = try await repository.request(id) else { throw NotFound(id: id) }
                // Boxes marked while the clip was being made are not in it: this is not the export asked for.
                guard current.boxes == exportedBoxes else { throw ProvisionProblem.boxesChanged }
                try current.markExported(exportId: manifest.exportId, at: now)
                try await repository.save(current)
                let entry = ProvisionLedgerEntry(request: current, exportedBy: actor, exportId: manifest.exportId, manifestSHA256: digest, providedAt: now)
                try await repository.append(entry)
                return (current, entry)
            }
        } catch {
            // Two exports of one request at once: the ledger keeps one line, the other is told so.
            if let current = try? await repository.request(id), current.status == .exported {
                throw ProvisionProblem.wrongState(action: "export", status: .exported)
            }
            throw error
        }
        try await audit.append(AuditEvent(actor: actor, action: "provision.export", target: id.uuidString, details: [
            "export": .string(manifest.exportId.uuidString), "manifestSHA256": .string(digest),
            "recipient": .string("\(request.officerName) (\(request.agency))"), "boxes": .int(Int64(request.boxes.count)),
        ]))
        return Provided(request: request, manifest: manifest, ledgerEntry: entry, folder: folder)
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
