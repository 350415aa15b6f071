import CityWatchDomain
import Foundation
import Testing

@Suite("Data-subject access requests")
struct DataSubjectRequestTests {
    static let received = Date(timeIntervalSince1970: 1_790_000_000)
    static let day: TimeInterval = 86_400

    static func received(_ at: Date = received) throws -> DataSubjectRequest {
        try DataSubjectRequest(subjectName: "홍길동", contact: "010-0000-0000", description: "11월 3일 18시경 역삼역 3번 출구",
                               receivedAt: at, receivedBy: "privacy")
    }

    @Test func theDeadlineIsTenDaysAfterReceiptAndDaysLeftCountDown() throws {
        let request = try Self.received()
        #expect(request.deadline == Self.received.addingTimeInterval(10 * Self.day))
        #expect(request.daysLeft(at: Self.received) == 10)
        #expect(request.daysLeft(at: Self.received.addingTimeInterval(9.5 * Self.day)) == 0)
        #expect(!request.isOverdue(at: request.deadline))
        #expect(request.isOverdue(at: request.deadline.addingTimeInterval(1)))
        #expect(request.daysLeft(at: request.deadline.addingTimeInterval(1)) == -1)
        #expect(request.daysLeft(at: request.deadline.addingTimeInterval(2 * Self.day)) == -2)
    }

    @Test func extendingOnceAddsTenDaysThenAnAnswerClosesIt() throws {
        var request = try Self.received()
        #expect(throws: ProvisionProblem.badText(field: "note", maximum: 2_000)) {
            try request.close(.extended, note: "", by: "privacy", at: Self.received)
        }
        try request.close(.extended, note: "제3자 모자이크 처리에 시간 소요", by: "privacy", at: Self.received)
        #expect(request.status == .extended && request.deadline == Self.received.addingTimeInterval(20 * Self.day))
        #expect(!request.isOverdue(at: Self.received.addingTimeInterval(15 * Self.day)))
        #expect(throws: ProvisionProblem.subjectRequestClosed) { try request.close(.extended, note: "again please", by: "privacy", at: Self.received) }
        try request.close(.answered, note: "", by: "privacy", at: Self.received.addingTimeInterval(Self.day))
        #expect(request.status == .answered && request.closedAt == Self.received.addingTimeInterval(Self.day))
        #expect(request.daysLeft(at: Self.received) == nil)
        #expect(!request.isOverdue(at: Self.received.addingTimeInterval(100 * Self.day)))
        #expect(throws: ProvisionProblem.subjectRequestClosed) { try request.close(.refused, note: "too late", by: "privacy", at: Self.received) }
    }

    @Test func aRefusalNeedsAReasonAndBadFieldsAreNamed() throws {
        var request = try Self.received()
        #expect(throws: ProvisionProblem.badText(field: "note", maximum: 2_000)) { try request.close(.refused, note: "x", by: "p", at: Self.received) }
        try request.close(.refused, note: "영상 보관기간 경과로 삭제됨", by: "p", at: Self.received)
        #expect(request.status == .refused && request.note == "영상 보관기간 경과로 삭제됨")
        #expect(throws: ProvisionProblem.badText(field: "subjectName", maximum: 100)) {
            try DataSubjectRequest(subjectName: " ", contact: "c", description: "d", receivedAt: Self.received, receivedBy: "p")
        }
        #expect(throws: ProvisionProblem.badText(field: "description", maximum: 2_000)) {
            try DataSubjectRequest(subjectName: "a", contact: "c", description: String(repeating: "x", count: 2_001), receivedAt: Self.received, receivedBy: "p")
        }
    }
}
