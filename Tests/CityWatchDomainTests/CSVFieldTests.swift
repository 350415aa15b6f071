import CityWatchDomain
import PropertyBased
import Testing

/// Formula injection neutralised in the one CSV writer, and undone exactly by the reader.
@Suite("CSV fields")
struct CSVFieldTests {
    @Test func aFieldASpreadsheetWouldRunStartsWithAnApostrophe() {
        for field in ["=cmd|' /C calc'!A0", "+82-2-3423", "-1", "@SUM(A1:A9)", "\tx", "\rx", "\r\nx"] {
            let written = CSVField.encode(field)
            #expect(written.hasPrefix("'") || written.hasPrefix("\"'"), "\(field.debugDescription) → \(written.debugDescription)")
        }
        #expect(CSVField.encode("강남대로 123") == "강남대로 123")
        #expect(CSVField.encode("a,b") == "\"a,b\"")
        #expect(CSVField.encode("'=1") == "''=1", "an apostrophe the writer did not add stays one")
    }

    @Test func whatIsDefusedIsRestoredExactly() async {
        let alphabet: [Character] = ["=", "+", "-", "@", "\t", "\r", "'", "a", "가", ",", "\"", " "]
        await propertyCheck(count: 500, input: Gen<Int>.int(in: 0..<alphabet.count).array(of: 0...6)) { picks in
            let field = String(picks.map { alphabet[$0] })
            let defused = CSVField.defused(field)
            #expect(CSVField.restored(defused) == field, "\(field.debugDescription) → \(defused.debugDescription)")
            if let first = defused.first { #expect(!["=", "+", "-", "@", "\t", "\r", "\r\n"].contains(first)) }
        }
    }
}
