import CityWatchDomain
import CityWatchStore
import Foundation

extension ProvisionService {
    /// Records a data subject's request to see footage of themselves (deadline: 10 days).
    public func receiveSubjectRequest(subjectName: String, contact: String, description: String, cameraIds: [UUID],
                                      actor: String) async throws -> DataSubjectRequest {
        let request = try DataSubjectRequest(subjectName: subjectName, contact: contact, description: description,
                                             cameraIds: cameraIds, receivedAt: clock(), receivedBy: actor)
        try await repository.create(request)
        try await audit.append(AuditEvent(actor: actor, action: "subject.request", target: request.id.uuidString,
                                          details: ["deadline": .string(Self.iso(request.deadline))]))
        return request
    }

    /// Answers, refuses or extends a data-subject request.
    public func closeSubjectRequest(_ id: UUID, outcome: DataSubjectRequest.Outcome, note: String,
                                    actor: String) async throws -> DataSubjectRequest {
        guard var request = try await repository.subjectRequest(id) else { throw NotFound(id: id) }
        try request.close(outcome, note: note, by: actor, at: clock())
        try await repository.save(request)
        try await audit.append(AuditEvent(actor: actor, action: "subject.\(outcome.rawValue)", target: id.uuidString,
                                          details: ["deadline": .string(Self.iso(request.deadline))]))
        return request
    }

    /// The audit log's views and exports of video (every `video.*` entry) from `since` to
    /// `until`, oldest first, as CSV for the privacy officer (열람 기록). Every entry of the period
    /// or none: a period with more than ``viewLogLimit`` is refused, to be asked for in parts.
    public func viewLogCSV(since: Date?, until: Date?, actor: String) async throws -> String {
        var entries: [AuditEntry] = []
        var before: Int64?
        while true {
            let page = try await audit.list(AuditLog.Filter(since: since, until: until, action: "video.", beforeSeq: before, limit: 10_000))
            entries += page
            guard entries.count <= Self.viewLogLimit else { throw ProvisionProblem.viewLogTooLong(maximum: Self.viewLogLimit) }
            guard page.count == 10_000, let last = page.last else { break }
            before = last.seq
        }
        try await audit.append(AuditEvent(actor: actor, action: "provision.viewlog.csv", target: "audit",
                                          details: ["rows": .int(Int64(entries.count))]))
        return ViewLogCSV.text(entries.reversed())
    }

    /// The most view-log rows one CSV holds.
    public static let viewLogLimit = 200_000

    /// The provision ledger as CSV.
    public func ledgerCSV(actor: String) async throws -> String {
        let entries = try await repository.ledger()
        try await audit.append(AuditEvent(actor: actor, action: "provision.ledger.csv", target: "ledger",
                                          details: ["rows": .int(Int64(entries.count))]))
        return ProvisionLedgerCSV.text(entries)
    }
}
