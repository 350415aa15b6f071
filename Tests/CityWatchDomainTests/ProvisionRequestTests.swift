import CityWatchDomain
import Foundation
import Testing

@Suite("Police provision requests")
struct ProvisionRequestTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let camera = UUID()

    static func draft(basis: ProvisionLegalBasis = .criminalInvestigation, detail: String = "", cameras: [UUID] = [camera],
                      hours: Double = 1) -> ProvisionRequest.Draft {
        .init(officerName: " 경위 김수사 ", agency: "서울강남경찰서 형사과", caseNumber: "2026-형제-1234", legalBasis: basis,
              legalBasisDetail: detail, purpose: "절도 사건 용의자 확인", cameraIds: cameras,
              from: now.addingTimeInterval(-7_200), to: now.addingTimeInterval(-7_200 + hours * 3_600))
    }

    static func filed() throws -> ProvisionRequest {
        try ProvisionRequest(draft: draft(), requestedBy: "police1", at: now)
    }

    @Test func aNewRequestIsTrimmedDeduplicatedAndWaitsForTheOfficer() throws {
        let request = try ProvisionRequest(draft: Self.draft(cameras: [Self.camera, Self.camera]), requestedBy: "police1", at: Self.now)
        #expect(request.status == .requested)
        #expect(request.officerName == "경위 김수사")
        #expect(request.cameraIds == [Self.camera])
        #expect(request.decidedBy == nil && request.boxes.isEmpty)
    }

    @Test func badDraftsNameTheField() {
        var empty = Self.draft()
        empty.caseNumber = "   "
        #expect(throws: ProvisionProblem.badText(field: "caseNumber", maximum: 100)) { try ProvisionRequest(draft: empty, requestedBy: "p", at: Self.now) }
        #expect(throws: ProvisionProblem.legalBasisDetailRequired) {
            try ProvisionRequest(draft: Self.draft(basis: .other), requestedBy: "p", at: Self.now)
        }
        #expect(throws: ProvisionProblem.noCameras) { try ProvisionRequest(draft: Self.draft(cameras: []), requestedBy: "p", at: Self.now) }
        #expect(throws: ProvisionProblem.rangeTooLong(hours: 24)) { try ProvisionRequest(draft: Self.draft(hours: 25), requestedBy: "p", at: Self.now) }
        #expect(throws: ProvisionProblem.badRange) { try ProvisionRequest(draft: Self.draft(hours: 0), requestedBy: "p", at: Self.now) }
        let other = try? ProvisionRequest(draft: Self.draft(basis: .other, detail: "통신비밀보호법 제13조"), requestedBy: "p", at: Self.now)
        #expect(other?.legalBasisDetail == "통신비밀보호법 제13조")
    }

    @Test func onlyAPrivacyOfficerWhoDidNotFileItApproves() throws {
        var request = try Self.filed()
        #expect(throws: ProvisionProblem.approverNotPrivacyOfficer) { try request.approve(by: "admin", role: .administrator, at: Self.now) }
        #expect(throws: ProvisionProblem.approverNotPrivacyOfficer) { try request.approve(by: "police2", role: .police, at: Self.now) }
        #expect(throws: ProvisionProblem.approverIsRequester) { try request.approve(by: "police1", role: .privacyOfficer, at: Self.now) }
        #expect(request.status == .requested)
        try request.approve(by: "privacy", role: .privacyOfficer, at: Self.now)
        #expect(request.status == .approved && request.decidedBy == "privacy" && request.decidedAt == Self.now)
    }

    @Test func refusingNeedsAReasonAndIsFinal() throws {
        var request = try Self.filed()
        #expect(throws: ProvisionProblem.refusalReasonRequired) { try request.refuse(by: "privacy", role: .privacyOfficer, reason: "  ", at: Self.now) }
        try request.refuse(by: "privacy", role: .privacyOfficer, reason: "영장 없이 범위가 과도함", at: Self.now)
        #expect(request.status == .refused && request.refusalReason == "영장 없이 범위가 과도함")
        #expect(throws: ProvisionProblem.wrongState(action: "approve", status: .refused)) {
            try request.approve(by: "privacy", role: .privacyOfficer, at: Self.now)
        }
        #expect(throws: ProvisionProblem.wrongState(action: "export", status: .refused)) { try request.checkExportable() }
        #expect(throws: ProvisionProblem.wrongState(action: "mark boxes on", status: .refused)) { try request.setBoxes([]) }
    }

    @Test func exportNeedsApprovalAndHappensOnce() throws {
        var request = try Self.filed()
        #expect(throws: ProvisionProblem.wrongState(action: "export", status: .requested)) { try request.markExported(exportId: UUID(), at: Self.now) }
        try request.approve(by: "privacy", role: .privacyOfficer, at: Self.now)
        let export = UUID()
        try request.markExported(exportId: export, at: Self.now)
        #expect(request.status == .exported && request.exportId == export)
        #expect(throws: ProvisionProblem.wrongState(action: "export", status: .exported)) { try request.markExported(exportId: UUID(), at: Self.now) }
    }

    @Test func boxesMustLieOnTheRequestsCamerasPictureAndRange() throws {
        var request = try Self.filed()
        let inside = MaskingBox(cameraId: Self.camera, box: ImageBox(x: 0.1, y: 0.1, width: 0.2, height: 0.3),
                                from: request.from.addingTimeInterval(60), to: request.from.addingTimeInterval(120))
        func with(_ change: (inout MaskingBox) -> Void) -> [MaskingBox] {
            var box = inside
            change(&box)
            return [inside, box]
        }
        let stranger = UUID()
        #expect(throws: ProvisionProblem.boxCameraNotInRequest(index: 1, cameraId: stranger)) { try request.setBoxes(with { $0.cameraId = stranger }) }
        #expect(throws: ProvisionProblem.boxOutsidePicture(index: 1)) { try request.setBoxes(with { $0.box.x = 0.9 }) }
        #expect(throws: ProvisionProblem.boxOutsidePicture(index: 1)) { try request.setBoxes(with { $0.box.y = -0.1 }) }
        #expect(throws: ProvisionProblem.boxOutsidePicture(index: 1)) { try request.setBoxes(with { $0.box.width = .nan }) }
        #expect(throws: ProvisionProblem.boxTooSmall(index: 1)) { try request.setBoxes(with { $0.box.height = 0.001 }) }
        #expect(throws: ProvisionProblem.boxBadTimeSpan(index: 1)) { try request.setBoxes(with { $0.to = $0.from }) }
        #expect(throws: ProvisionProblem.boxOutsideRange(index: 1)) { try request.setBoxes(with { $0.to = request.to.addingTimeInterval(1) }) }
        #expect(request.boxes.isEmpty)
        try request.setBoxes([inside])
        #expect(request.boxes == [inside])
        try request.approve(by: "privacy", role: .privacyOfficer, at: Self.now)
        try request.setBoxes([])
        #expect(request.boxes.isEmpty)
    }

    @Test func ledgerCSVQuotesDefusesFormulasAndUsesKoreanTime() throws {
        var request = try ProvisionRequest(draft: Self.draft(), requestedBy: "police1", at: Self.now)
        request.purpose = "=HYPERLINK(\"x\"), 확인"
        try request.approve(by: "privacy", role: .privacyOfficer, at: Self.now)
        let entry = ProvisionLedgerEntry(request: request, exportedBy: "operator1", exportId: UUID(), manifestSHA256: "ab12",
                                         providedAt: Date(timeIntervalSince1970: 1_790_000_000))
        let text = ProvisionLedgerCSV.text([entry])
        #expect(text.hasPrefix("\u{FEFF}provided_at_kst,request_id,"))
        let lines = text.dropFirst().split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)
        // 1,790,000,000 s is 2026-09-21T14:13:20Z, 23:13:20 in Seoul.
        #expect(lines[1].hasPrefix("2026-09-21T23:13:20+09:00,\(request.id.uuidString.lowercased()),경위 김수사,"))
        #expect(lines[1].contains(",\"'=HYPERLINK(\"\"x\"\"), 확인\","))
        #expect(lines[1].contains(",privacy,operator1,"))
        #expect(lines[1].contains("범죄의 수사와 공소의 제기 및 유지 (제18조②7)"))
    }
}
