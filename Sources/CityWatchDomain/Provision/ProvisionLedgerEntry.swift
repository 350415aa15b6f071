import Foundation

/// One line of the provision ledger (개인영상정보 제공 대장): what footage went to whom, on
/// what ground, approved by whom, and the fingerprint of what was handed over.
public struct ProvisionLedgerEntry: Codable, Sendable, Equatable {
    public var id: UUID
    public var requestId: UUID
    /// The recipient: officer and agency (제공받는 자).
    public var recipient: String
    public var agency: String
    public var caseNumber: String
    public var legalBasis: ProvisionLegalBasis
    public var legalBasisDetail: String
    public var purpose: String
    public var cameraIds: [UUID]
    public var from: Date
    public var to: Date
    public var requestedBy: String
    public var approvedBy: String
    public var exportedBy: String
    public var exportId: UUID
    /// SHA-256 of the signed manifest (which holds every file's SHA-256).
    public var manifestSHA256: String
    /// Boxes blurred, and cameras whose privacy zones were blurred.
    public var maskedBoxes: Int
    public var providedAt: Date

    public init(id: UUID = UUID(), request: ProvisionRequest, exportedBy: String, exportId: UUID, manifestSHA256: String, providedAt: Date) {
        self.id = id
        requestId = request.id
        recipient = request.officerName
        agency = request.agency
        caseNumber = request.caseNumber
        legalBasis = request.legalBasis
        legalBasisDetail = request.legalBasisDetail
        purpose = request.purpose
        cameraIds = request.cameraIds
        from = request.from
        to = request.to
        requestedBy = request.requestedBy
        approvedBy = request.decidedBy ?? ""
        self.exportedBy = exportedBy
        self.exportId = exportId
        self.manifestSHA256 = manifestSHA256
        maskedBoxes = request.boxes.count
        self.providedAt = providedAt
    }
}
