import CityWatchDomain
import PropertyBased
import Testing

@Suite("CSV tokenizer")
struct CSVTokenizerTests {
    /// Tokenizes `text` fed in pieces of `chunk` bytes; records as string arrays, problems as text.
    static func read(_ bytes: [UInt8], chunk: Int = 1 << 20, limits: CSVTokenizer.Limits = .init()) -> [String] {
        var tokenizer = CSVTokenizer(limits: limits)
        var out: [String] = []
        let emit: (CSVTokenizer.Event) -> Void = { event in
            switch event {
            case .record(let record):
                let fields = (0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) }
                out.append("\(record.line):" + fields.joined(separator: "|"))
            case .problem(let problem):
                out.append("\(problem.line)!\(problem)")
            }
        }
        var start = 0
        while start < bytes.count {
            tokenizer.feed(bytes[start..<min(start + chunk, bytes.count)], emit)
            start += chunk
        }
        tokenizer.finish(emit)
        return out
    }

    static func read(_ text: String, chunk: Int = 1 << 20, limits: CSVTokenizer.Limits = .init()) -> [String] {
        read(Array(text.utf8), chunk: chunk, limits: limits)
    }

    @Test func quotedFieldsKeepCommasQuotesAndLineBreaks() {
        let text = "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\r\nline\",x,\r\n"
        #expect(Self.read(text) == ["1:a|b,c|say \"hi\"", "2:multi\nline|x|"])
    }

    @Test func lineEndsMayBeCRLFOrLFOrCR() {
        #expect(Self.read("a,b\nc,d\re,f\r\ng,h") == ["1:a|b", "2:c|d", "3:e|f", "4:g|h"])
    }

    @Test func blankLinesAreSkippedButCounted() {
        #expect(Self.read("a\r\n\r\n\nb\n") == ["1:a", "4:b"])
    }

    @Test func emptyFieldsAreKept() {
        #expect(Self.read(",,\n\"\",x\n") == ["1:||", "2:|x"])
    }

    @Test func strayQuoteInsideUnquotedFieldIsText() {
        #expect(Self.read("12\"3,\"ab\"cd\n") == ["1:12\"3|abcd"])
    }

    @Test func overlongFieldIsReportedAndTheNextRowSurvives() {
        let long = String(repeating: "x", count: 100)
        let rows = Self.read("ok,1\n\(long),2\nfine,3\n", limits: .init(maxFieldBytes: 50))
        #expect(rows == ["1:ok|1", "2!field 1 is longer than 50 bytes", "3:fine|3"])
    }

    @Test func unclosedQuoteLosesOnlyItsOwnLine() {
        let rows = Self.read("h1,h2\n\"broken,1\nok,2\nok,3\n")
        #expect(rows.first == "1:h1|h2")
        #expect(rows.contains { $0.hasPrefix("2!") && $0.contains("never closes") })
        #expect(Array(rows.suffix(2)) == ["3:ok|2", "4:ok|3"])
    }

    @Test func runawayQuoteIsCutAfterTheLineLimit() {
        var text = "\"start\n"
        for i in 0..<40 { text += "row\(i),\(i)\n" }
        let rows = Self.read(text, limits: .init(maxRecordLines: 5))
        #expect(rows.first == "1!a quoted field opened on this line never closes; the lines after it are read as rows of their own")
        #expect(rows.count == 41)
        #expect(rows.last == "41:row39|39")
    }

    @Test func tooManyFieldsIsReported() {
        let rows = Self.read(String(repeating: "a,", count: 20) + "\nb\n", limits: .init(maxFields: 10))
        #expect(rows == ["1!more than 10 fields", "2:b"])
    }

    @Test func chunkBoundariesDoNotChangeTheResult() async {
        let alphabet: [UInt8] = Array("ab,\"\r\n 가".utf8)
        await propertyCheck(count: 300, input: Gen<Int>.int(in: 0..<alphabet.count).array(of: 0...200), Gen.int(in: 1...17)) { picks, chunk in
            let bytes = picks.map { alphabet[$0] }
            #expect(Self.read(bytes, chunk: chunk) == Self.read(bytes))
        }
    }

    @Test func arbitraryBytesNeverCrashAndLinesOnlyGrow() async {
        await propertyCheck(count: 300, input: Gen<UInt8>.value(in: 0...255).array(of: 0...2_000)) { bytes in
            let events = Self.read(bytes, chunk: 97, limits: .init(maxFieldBytes: 64, maxFields: 16, maxRecordBytes: 256, maxRecordLines: 3))
            let lines = events.compactMap { Int($0.prefix { $0.isNumber }) }
            #expect(lines == lines.sorted())
        }
    }
}
