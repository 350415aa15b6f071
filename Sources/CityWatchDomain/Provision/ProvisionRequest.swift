import Foundation

/// A police request for recorded footage (개인영상정보 제공 요청): who asks, for which case, on
/// what legal ground, for which cameras and time; and what became of it. The state machine
/// lives in ``ProvisionRequest+Decisions``; nothing here does I/O.
public struct ProvisionRequest: Codable, Sendable, Equatable {
    public var id: UUID
    /// The requesting officer's name (and rank, as they write it).
    public var officerName: String
    /// The agency or station, e.g. 서울강남경찰서 형사과.
    public var agency: String
    /// The case number on the agency's side.
    public var caseNumber: String
    public var legalBasis: ProvisionLegalBasis
    /// The law and article in words; required for ``ProvisionLegalBasis/other``.
    public var legalBasisDetail: String
    /// What the footage is for.
    public var purpose: String
    public var cameraIds: [UUID]
    public var from: Date
    public var to: Date
    /// The user who filed the request, and when.
    public var requestedBy: String
    public var requestedAt: Date
    public var status: ProvisionStatus
    /// The privacy officer who approved or refused, when, and (refusals) why.
    public var decidedBy: String?
    public var decidedAt: Date?
    public var refusalReason: String?
    /// Third parties to blur, marked by an operator.
    public var boxes: [MaskingBox]
    /// The export made after approval.
    public var exportId: UUID?
    public var exportedAt: Date?

    /// The longest range one request may cover (the evidence export's limit).
    public static let maximumHours = 24
    /// The most cameras one request may name.
    public static let maximumCameras = 16
    /// The most masking boxes one request may carry.
    public static let maximumBoxes = 200

    /// What a person fills in to file a request.
    public struct Draft: Codable, Sendable, Equatable {
        public var officerName: String
        public var agency: String
        public var caseNumber: String
        public var legalBasis: ProvisionLegalBasis
        public var legalBasisDetail: String
        public var purpose: String
        public var cameraIds: [UUID]
        public var from: Date
        public var to: Date

        public init(officerName: String, agency: String, caseNumber: String, legalBasis: ProvisionLegalBasis,
                    legalBasisDetail: String = "", purpose: String, cameraIds: [UUID], from: Date, to: Date) {
            self.officerName = officerName
            self.agency = agency
            self.caseNumber = caseNumber
            self.legalBasis = legalBasis
            self.legalBasisDetail = legalBasisDetail
            self.purpose = purpose
            self.cameraIds = cameraIds
            self.from = from
            self.to = to
        }
    }

    /// A new request from `draft`, checked field by field (texts trimmed, cameras de-duplicated).
    public init(draft: Draft, id: UUID = UUID(), requestedBy: String, at now: Date) throws {
        officerName = try ProvisionProblem.checkedText(draft.officerName, "officerName", maximum: 100)
        agency = try ProvisionProblem.checkedText(draft.agency, "agency", maximum: 200)
        caseNumber = try ProvisionProblem.checkedText(draft.caseNumber, "caseNumber", maximum: 100)
        legalBasis = draft.legalBasis
        legalBasisDetail = try ProvisionProblem.checkedText(draft.legalBasisDetail, "legalBasisDetail", maximum: 500, required: false)
        if legalBasis == .other && legalBasisDetail.count < 3 { throw ProvisionProblem.legalBasisDetailRequired }
        purpose = try ProvisionProblem.checkedText(draft.purpose, "purpose", maximum: 1_000)
        var seen = Set<UUID>()
        cameraIds = draft.cameraIds.filter { seen.insert($0).inserted }
        guard !cameraIds.isEmpty else { throw ProvisionProblem.noCameras }
        guard cameraIds.count <= Self.maximumCameras else { throw ProvisionProblem.tooManyCameras(maximum: Self.maximumCameras) }
        guard draft.from < draft.to else { throw ProvisionProblem.badRange }
        guard draft.to.timeIntervalSince(draft.from) <= Double(Self.maximumHours) * 3_600 else {
            throw ProvisionProblem.rangeTooLong(hours: Self.maximumHours)
        }
        from = draft.from
        to = draft.to
        self.id = id
        self.requestedBy = requestedBy
        requestedAt = now
        status = .requested
        boxes = []
    }
}
