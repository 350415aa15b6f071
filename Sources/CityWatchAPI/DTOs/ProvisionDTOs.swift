import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Foundation
import Vapor

/// `POST /api/provision/requests`.
struct CreateProvisionBody: Content, StrictContent {
    static let allowedKeys: Set<String> = ["officerName", "agency", "caseNumber", "legalBasis", "legalBasisDetail", "purpose", "cameraIds", "from", "to"]
    var officerName: String
    var agency: String
    var caseNumber: String
    var legalBasis: ProvisionLegalBasis
    var legalBasisDetail: String?
    var purpose: String
    var cameraIds: [UUID]
    var from: Date
    var to: Date

    var draft: ProvisionRequest.Draft {
        .init(officerName: officerName, agency: agency, caseNumber: caseNumber, legalBasis: legalBasis,
              legalBasisDetail: legalBasisDetail ?? "", purpose: purpose, cameraIds: cameraIds, from: from, to: to)
    }
}

/// `POST /api/provision/requests/:id/refuse`.
struct RefuseProvisionBody: Content, StrictContent {
    static let allowedKeys: Set<String> = ["reason"]
    var reason: String
}

/// `PUT /api/provision/requests/:id/boxes`.
struct ProvisionBoxesBody: Content, StrictContent {
    static let allowedKeys: Set<String> = ["boxes"]
    var boxes: [MaskingBox]
}

/// `POST /api/provision/subjects`.
struct CreateSubjectBody: Content, StrictContent {
    static let allowedKeys: Set<String> = ["subjectName", "contact", "description", "cameraIds"]
    var subjectName: String
    var contact: String
    var description: String
    var cameraIds: [UUID]?
}

/// `POST /api/provision/subjects/:id/answer`.
struct AnswerSubjectBody: Content, StrictContent {
    static let allowedKeys: Set<String> = ["outcome", "note"]
    var outcome: DataSubjectRequest.Outcome
    var note: String?
}

/// A data-subject request with its days left and overdue flag as of now.
struct SubjectRequestDTO: Content {
    var request: DataSubjectRequest
    var daysLeft: Int?
    var overdue: Bool

    init(_ request: DataSubjectRequest, now: Date) {
        self.request = request
        daysLeft = request.daysLeft(at: now)
        overdue = request.isOverdue(at: now)
    }
}

/// What `POST /api/provision/requests/:id/export` answers.
struct ProvisionExportDTO: Content {
    var request: ProvisionRequest
    /// The signed manifest; left out when the export ran on another node (it is in the download).
    var manifest: EvidenceManifest?
    var download: String
    var ledgerEntry: ProvisionLedgerEntry

    init(_ provided: ProvisionService.Provided) {
        self.init(request: provided.request, manifest: provided.manifest, ledgerEntry: provided.ledgerEntry)
    }

    init(request: ProvisionRequest, manifest: EvidenceManifest?, ledgerEntry: ProvisionLedgerEntry) {
        self.request = request
        self.manifest = manifest
        download = "/api/provision/requests/\(request.id.uuidString.lowercased())/download"
        self.ledgerEntry = ledgerEntry
    }
}

/// How an export job runs, on whichever node: what every job's answer says (flattened into it).
struct ExportJobStatus: Content {
    /// running, done, failed, or interrupted (its node stopped mid-export; export again).
    var state: ExportJobRecord.State
    /// The server running it.
    var node: String
    var startedBy: String
    var startedAt: Date
    var endedAt: Date?
    var camerasDone: Int
    var cameras: Int
    /// 0…100 of the whole export, the clip being cut counted by the time it has reached.
    var percent: Int
    /// Once failed or interrupted: why.
    var error: String?

    init(_ job: ExportJobRecord) {
        state = job.state
        node = job.node
        startedBy = job.startedBy
        startedAt = job.startedAt
        endedAt = job.endedAt
        camerasDone = job.camerasDone
        cameras = job.cameras
        percent = job.percent
        error = job.state == .interrupted
            ? "the export stopped when its server (\(job.node)) went away; export again" : job.error
    }
}

/// A job's answer: its status beside its own fields (`Fields`), in one JSON object.
struct ExportJobDTO<Fields: Content>: Content {
    var status: ExportJobStatus
    var fields: Fields

    init(status: ExportJobStatus, fields: Fields) {
        self.status = status
        self.fields = fields
    }

    init(from decoder: any Decoder) throws {
        status = try ExportJobStatus(from: decoder)
        fields = try Fields(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try status.encode(to: encoder)
        try fields.encode(to: encoder)
    }
}

/// `GET /api/provision/requests/:id/export`: a provision export as it runs, on whichever node.
typealias ProvisionExportJobDTO = ExportJobDTO<ProvisionExportJobFields>

struct ProvisionExportJobFields: Content {
    var requestId: UUID
    /// Once done: what `POST …/export` answers.
    var result: ProvisionExportDTO?
}

extension ExportJobDTO where Fields == ProvisionExportJobFields {
    init(_ job: ExportJobRecord, result: ProvisionExportDTO?) {
        self.init(status: ExportJobStatus(job), fields: ProvisionExportJobFields(requestId: job.id, result: result))
    }

    var error: String? { status.error }
}

extension ProvisionRequest: Content {}
extension ProvisionLedgerEntry: Content {}

extension ProvisionProblem: AbortError {
    public var status: HTTPResponseStatus {
        switch self {
        case .approverNotPrivacyOfficer, .approverIsRequester: .forbidden
        case .wrongState, .subjectRequestClosed, .boxesChanged: .conflict
        default: .badRequest
        }
    }

    public var reason: String { description }
}

extension ProvisionService.NotFound: AbortError {
    public var status: HTTPResponseStatus { .notFound }
    public var reason: String { description }
}
