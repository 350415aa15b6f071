import Foundation

extension ProvisionRequest {
    /// Approves the request. Only a privacy officer decides, and never on a request they filed.
    public mutating func approve(by user: String, role: Role, at now: Date) throws {
        try checkDecider(user, role: role, action: "approve")
        status = .approved
        decidedBy = user
        decidedAt = now
    }

    /// Refuses the request with a reason (3–500 characters); final.
    public mutating func refuse(by user: String, role: Role, reason: String, at now: Date) throws {
        try checkDecider(user, role: role, action: "refuse")
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...500).contains(reason.count) else { throw ProvisionProblem.refusalReasonRequired }
        status = .refused
        decidedBy = user
        decidedAt = now
        refusalReason = reason
    }

    /// Replaces the masking boxes; allowed until the footage is exported (and not on a
    /// refused request). Every box is checked against the request's cameras and range.
    public mutating func setBoxes(_ newBoxes: [MaskingBox]) throws {
        guard status == .requested || status == .approved else { throw ProvisionProblem.wrongState(action: "mark boxes on", status: status) }
        guard newBoxes.count <= Self.maximumBoxes else { throw ProvisionProblem.tooManyBoxes(maximum: Self.maximumBoxes) }
        let cameras = Set(cameraIds)
        for (index, box) in newBoxes.enumerated() { try box.validate(index: index, cameras: cameras, from: from, to: to) }
        boxes = newBoxes
    }

    /// Throws unless the request may be exported now (it is approved and not yet exported).
    public func checkExportable() throws {
        guard status == .approved else { throw ProvisionProblem.wrongState(action: "export", status: status) }
    }

    /// Records the export; the request is then final.
    public mutating func markExported(exportId: UUID, at now: Date) throws {
        try checkExportable()
        status = .exported
        self.exportId = exportId
        exportedAt = now
    }

    private func checkDecider(_ user: String, role: Role, action: String) throws {
        guard status == .requested else { throw ProvisionProblem.wrongState(action: action, status: status) }
        guard role == .privacyOfficer else { throw ProvisionProblem.approverNotPrivacyOfficer }
        guard user != requestedBy else { throw ProvisionProblem.approverIsRequester }
    }
}
