import CityWatchDomain
import Foundation
import Testing

/// How bells are keyed: by 관리번호, the standard's row key, and by 안전비상벨관리번호 only when
/// a row has no 관리번호; bells keyed by their number before are re-keyed, not duplicated.
@Suite("Emergency bell keys")
struct BellKeyingTests {
    static func record(number: String, rowKey: String = "", latitude: Double = 37.5, longitude: Double = 127.03) -> BellRecord {
        var record = BellRecord()
        record.managementNumber = number
        record.rowKey = rowKey
        record.latitude = latitude
        record.longitude = longitude
        return record
    }

    @Test func rowKeyReadFromTheHeaderKeysTheBellAndTheNumberIsTheFallback() throws {
        let parser = BellRowParser(layout: try BellLayout(header: BellParsingTests.header))
        let keyed = try parser.parse(BellParsingTests.row(number: "001", rowKey: "3220000-BELL-0007")).get()
        #expect(keyed.key == "3220000-BELL-0007" && keyed.managementNumber == "001")
        let unkeyed = try parser.parse(BellParsingTests.row(number: "001")).get()
        #expect(unkeyed.key == "001")
        #expect(parser.key(in: BellParsingTests.row(number: "001", rowKey: "K-1", latitude: "")) == "K-1", "a bad row still names its bell")
        // 관리번호 alone does not make a bell file: a camera registry has it too.
        #expect(throws: BellLayout.Problem.self) { try BellLayout(header: ["관리번호", "WGS84위도", "WGS84경도"]) }
    }

    @Test func repeatedInstallerNumberUnderDifferentRowKeysIsAWarningNeverADrop() {
        var ledger = BellKeyLedger()
        #expect(ledger.admit(Self.record(number: "001", rowKey: "R-1"), line: 2) == .admitted)
        #expect(ledger.admit(Self.record(number: "001", rowKey: "R-2"), line: 3) == .admittedWithWarning(.repeatedManagementNumber("001", firstLine: 2)))
        #expect(ledger.admit(Self.record(number: "002", rowKey: "R-3"), line: 4) == .admitted)
        let warning = BellRowWarning.repeatedManagementNumber("001", firstLine: 2).description
        #expect(warning.contains("안전비상벨관리번호 '001'") && warning.contains("line 2") && warning.contains("both are kept"))
    }

    @Test func repeatedKeyIsRefusedKeepingTheFirstRow() {
        var ledger = BellKeyLedger()
        _ = ledger.admit(Self.record(number: "001", rowKey: "R-1"), line: 2)
        #expect(ledger.admit(Self.record(number: "009", rowKey: "R-1"), line: 3) == .refused(.duplicateKey("R-1", column: .rowKey, firstLine: 2)))
        // Without 관리번호 the number is the key: a repeat cannot be told apart.
        _ = ledger.admit(Self.record(number: "050"), line: 4)
        let refused = ledger.admit(Self.record(number: "050"), line: 5)
        #expect(refused == .refused(.duplicateKey("050", column: .managementNumber, firstLine: 4)))
        if case .refused(let error) = refused { #expect(error.description.contains("no 관리번호 to tell the two bells apart")) }
    }

    @Test func bellKeyedByItsNumberTakesTheNearestRowWithThatNumber() {
        let old = Bell(id: UUID(), record: Self.record(number: "001", latitude: 37.5000))
        let other = Bell(id: UUID(), record: Self.record(number: "002", latitude: 37.6000))
        let incoming = [
            Self.record(number: "001", rowKey: "R-1", latitude: 37.5100),  // another installer's 001, 1.1 km off
            Self.record(number: "001", rowKey: "R-2", latitude: 37.5001),  // the stored bell, moved 11 m
            Self.record(number: "002", rowKey: "R-3", latitude: 37.6000),
            Self.record(number: "003", rowKey: "R-4"),
        ]
        let moves = BellRekeying.moves(stored: [other, old], incoming: incoming)
        #expect(moves == [.init(bell: old.id, from: "001", to: "R-2"), .init(bell: other.id, from: "002", to: "R-3")])
    }

    @Test func bellsTheFileStillNamesOrThatHaveARowKeyAreNotMoved() {
        let byNumber = Bell(id: UUID(), record: Self.record(number: "001"))
        let keyed = Bell(id: UUID(), record: Self.record(number: "002", rowKey: "R-2"))
        let stale = Bell(id: UUID(), record: Self.record(number: "003"))
        let incoming = [
            Self.record(number: "001"),                  // still keyed by its number
            Self.record(number: "001", rowKey: "R-9"),   // a second 001, with 관리번호
            Self.record(number: "003", rowKey: "R-2"),   // R-2 is a stored bell's key: that bell, not a new home
        ]
        #expect(BellRekeying.moves(stored: [byNumber, keyed, stale], incoming: incoming).isEmpty)
    }

    @Test func aRekeyedBellSignsByTheNameItWasPressedBy() {
        var record = Self.record(number: "001", rowKey: "R-2")
        let bell = Bell(id: UUID(), record: record, formerKey: "001")
        #expect(bell.signedName(pressedAs: "001") == "001")
        #expect(bell.signedName(pressedAs: "R-2") == "R-2")
        #expect(bell.signedName(pressedAs: bell.id.uuidString) == "R-2")
        record.rowKey = ""
        #expect(Bell(id: UUID(), record: record).signedName(pressedAs: "001") == "001")
    }
}
