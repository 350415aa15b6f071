import Foundation

/// A person's request to see footage of themselves (정보주체의 열람 청구, 개인정보 보호법
/// 제35조): it must be answered within 10 days of receipt; the deadline may be extended once
/// (by another 10 days) for a reason such as third parties to mask.
public struct DataSubjectRequest: Codable, Sendable, Equatable {
    /// Where the request stands.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Received, not answered yet.
        case open
        /// Open, with the deadline extended once.
        case extended
        /// Answered (footage shown or given); closed.
        case answered
        /// Refused with a reason; closed.
        case refused
    }

    public var id: UUID
    /// Who asks (name, and how to reach them).
    public var subjectName: String
    public var contact: String
    /// What they ask to see: the place, time and how to recognise them.
    public var description: String
    public var cameraIds: [UUID]
    public var receivedAt: Date
    public var receivedBy: String
    public var deadline: Date
    public var status: Status
    /// The answer, refusal reason or extension reason; and who gave it, when.
    public var note: String?
    public var closedBy: String?
    public var closedAt: Date?

    /// The days allowed to answer.
    public static let answerDays = 10

    /// A request received at `receivedAt`; its deadline is 10 days later.
    public init(id: UUID = UUID(), subjectName: String, contact: String, description: String, cameraIds: [UUID] = [],
                receivedAt: Date, receivedBy: String) throws {
        self.id = id
        self.subjectName = try ProvisionProblem.checkedText(subjectName, "subjectName", maximum: 100)
        self.contact = try ProvisionProblem.checkedText(contact, "contact", maximum: 200)
        self.description = try ProvisionProblem.checkedText(description, "description", maximum: 2_000)
        guard cameraIds.count <= ProvisionRequest.maximumCameras else {
            throw ProvisionProblem.tooManyCameras(maximum: ProvisionRequest.maximumCameras)
        }
        self.cameraIds = cameraIds
        self.receivedAt = receivedAt
        self.receivedBy = receivedBy
        deadline = receivedAt.addingTimeInterval(Double(Self.answerDays) * 86_400)
        status = .open
    }

    /// True while the request still waits for an answer.
    public var isOpen: Bool { status == .open || status == .extended }

    /// True when it is still open after its deadline.
    public func isOverdue(at now: Date) -> Bool { isOpen && now > deadline }

    /// Whole days left until the deadline (negative when overdue; 0 on the last day), or nil
    /// when closed.
    public func daysLeft(at now: Date) -> Int? {
        guard isOpen else { return nil }
        let seconds = deadline.timeIntervalSince(now)
        return seconds >= 0 ? Int(seconds / 86_400) : -Int((-seconds / 86_400).rounded(.up))
    }

    /// What a privacy officer may do with an open request.
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case answered, refused, extended
    }

    /// Answers, refuses (a reason is needed) or extends (once, by 10 days, with a reason).
    public mutating func close(_ outcome: Outcome, note rawNote: String, by user: String, at now: Date) throws {
        let note = rawNote.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isOpen else { throw ProvisionProblem.subjectRequestClosed }
        guard note.count <= 2_000, outcome == .answered || note.count >= 3 else {
            throw ProvisionProblem.badText(field: "note", maximum: 2_000)
        }
        switch outcome {
        case .extended:
            guard status == .open else { throw ProvisionProblem.subjectRequestClosed }
            status = .extended
            deadline = deadline.addingTimeInterval(Double(Self.answerDays) * 86_400)
        case .answered:
            status = .answered
            closedAt = now
        case .refused:
            status = .refused
            closedAt = now
        }
        self.note = note.isEmpty ? nil : note
        closedBy = user
    }
}
