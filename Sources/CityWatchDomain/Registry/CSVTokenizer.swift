/// Splits CSV bytes into records, incrementally, with bounded memory.
///
/// RFC 4180 with the leniency real registries need: CRLF, LF or lone CR line ends; quoted
/// fields holding commas, quotes (`""`) and line breaks; stray quotes inside unquoted fields kept
/// as text. Works on bytes, so it reads CP949 as well as UTF-8: every CP949 trail byte is
/// 0x41 or above, so a comma, quote or line break byte is always what it looks like.
///
/// Bad input never stops the reader and never costs a good row:
/// - a field or record over its limit is reported (``Problem``) and skipped to its end;
/// - a quote that does not close within ``Limits/maxRecordLines`` lines, or by the end of the
///   input, is reported and the lines after the record's first line are read again as new
///   records, so one stray quote loses one line, not the rest of the file.
///
/// Memory: one record (at most ``Limits/maxRecordBytes``), whatever the input size.
/// Budget: a few nanoseconds per byte; 100,000 registry rows (~20 MB) in well under a second.
public struct CSVTokenizer: Sendable {
    /// Bounds that keep memory flat on hostile input.
    public struct Limits: Sendable, Equatable {
        public var maxFieldBytes = 64 * 1024
        public var maxFields = 512
        public var maxRecordBytes = 1024 * 1024
        public var maxRecordLines = 16

        public init(maxFieldBytes: Int = 64 * 1024, maxFields: Int = 512,
                    maxRecordBytes: Int = 1024 * 1024, maxRecordLines: Int = 16) {
            self.maxFieldBytes = maxFieldBytes
            self.maxFields = maxFields
            self.maxRecordBytes = maxRecordBytes
            self.maxRecordLines = maxRecordLines
        }
    }

    /// One record: its fields as byte ranges of one buffer, and the line it starts on.
    public struct Record: Sendable {
        /// The unescaped bytes of all fields, back to back.
        public var bytes: [UInt8] = []
        /// The end offset of each field in ``bytes``.
        public var fieldEnds: [Int] = []
        /// 1-based line number where the record starts.
        public var line: Int = 1

        /// Number of fields.
        public var count: Int { fieldEnds.count }

        /// The bytes of field `i`.
        public func field(_ i: Int) -> ArraySlice<UInt8> {
            let start = i == 0 ? 0 : fieldEnds[i - 1]
            return bytes[start..<fieldEnds[i]]
        }
    }

    /// A record that could not be read; the reader has moved past it.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// Field `field` (1-based) of the record at `line` is longer than `limit` bytes.
        case fieldTooLong(line: Int, field: Int, limit: Int)
        /// The record at `line` has more than `limit` fields.
        case tooManyFields(line: Int, limit: Int)
        /// The record at `line` is longer than `limit` bytes.
        case recordTooLong(line: Int, limit: Int)
        /// A quote opened in the record at `line` does not close; its later lines are read again.
        case unclosedQuote(line: Int)

        /// The line the problem is reported on.
        public var line: Int {
            switch self {
            case .fieldTooLong(let line, _, _), .tooManyFields(let line, _),
                 .recordTooLong(let line, _), .unclosedQuote(let line): line
            }
        }

        public var description: String {
            switch self {
            case let .fieldTooLong(_, field, limit): "field \(field) is longer than \(limit) bytes"
            case let .tooManyFields(_, limit): "more than \(limit) fields"
            case let .recordTooLong(_, limit): "row is longer than \(limit) bytes"
            case .unclosedQuote: "a quoted field opened on this line never closes; the lines after it are read as rows of their own"
            }
        }
    }

    /// What the tokenizer hands out.
    public enum Event: Sendable {
        case record(Record)
        case problem(Problem)
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    public let limits: Limits
    private var state = State.fieldStart
    private var record = Record()
    private var fieldLength = 0
    private var failure: Problem?
    /// The record's raw bytes, kept for reading its later lines again after a runaway quote.
    private var raw: [UInt8] = []
    private var rawOverflowed = false
    /// Offset in `raw` just after the record's first line end.
    private var firstLineEnd: Int?
    private var linesInRecord = 0
    private var line = 1
    private var afterCR = false

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Feeds the next bytes; complete records and problems go to `emit` as they are found.
    public mutating func feed<Bytes: Collection<UInt8>>(_ bytes: Bytes, _ emit: (Event) throws -> Void) rethrows {
        for byte in bytes {
            try consume(byte, emit)
        }
    }

    /// Ends the input: emits the last record, or the problem of an unclosed quote.
    public mutating func finish(_ emit: (Event) throws -> Void) rethrows {
        if state == .quoted {
            try runawayQuote(emit)
            try finish(emit)
            return
        }
        if record.bytes.isEmpty && record.fieldEnds.isEmpty && fieldLength == 0 && state == .fieldStart && failure == nil {
            return
        }
        try endRecord(emit)
    }

    // MARK: - Bytes

    private mutating func consume(_ byte: UInt8, _ emit: (Event) throws -> Void) rethrows {
        let wasAfterCR = afterCR
        afterCR = false
        if record.bytes.isEmpty && record.fieldEnds.isEmpty && fieldLength == 0 && state == .fieldStart && raw.isEmpty {
            // A line feed that completes a CR line end belongs to the record before.
            if byte == UInt8(ascii: "\n") && wasAfterCR { return }
            record.line = line
        }
        if !rawOverflowed {
            if raw.count < limits.maxRecordBytes {
                raw.append(byte)
            } else if state == .quoted && linesInRecord > 0 {
                // A quote has swallowed whole lines up to the size limit: it is a runaway.
                try runawayQuote(emit)
                return try consume(byte, emit)
            } else {
                rawOverflowed = true
                raw.removeAll()
                fail(.recordTooLong(line: record.line, limit: limits.maxRecordBytes))
            }
        }
        switch state {
        case .fieldStart, .unquoted:
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                line += 1
                afterCR = byte == UInt8(ascii: "\r")
                try endRecord(emit)
            case UInt8(ascii: "\"") where state == .fieldStart:
                state = .quoted
            default:
                state = .unquoted
                append(byte)
            }
        case .quoted:
            switch byte {
            case UInt8(ascii: "\""):
                state = .quoteInQuoted
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                if byte == UInt8(ascii: "\n") && wasAfterCR {
                    if firstLineEnd == raw.count - 1 { firstLineEnd = raw.count }
                    afterCR = false
                    return
                }
                line += 1
                linesInRecord += 1
                afterCR = byte == UInt8(ascii: "\r")
                if firstLineEnd == nil && !rawOverflowed { firstLineEnd = raw.count }
                if rawOverflowed {
                    // Too big to read again: end the record at this line end instead.
                    state = .fieldStart
                    return try endRecord(emit)
                }
                if linesInRecord > limits.maxRecordLines {
                    return try runawayQuote(emit)
                }
                append(UInt8(ascii: "\n"))
            default:
                append(byte)
            }
        case .quoteInQuoted:
            switch byte {
            case UInt8(ascii: "\""):
                append(byte)
                state = .quoted
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                line += 1
                afterCR = byte == UInt8(ascii: "\r")
                try endRecord(emit)
            default:
                // `"abc"def`: keep the rest as text, as spreadsheets do.
                state = .unquoted
                append(byte)
            }
        }
    }

    private mutating func append(_ byte: UInt8) {
        guard failure == nil else { return }
        if fieldLength >= limits.maxFieldBytes {
            fail(.fieldTooLong(line: record.line, field: record.fieldEnds.count + 1, limit: limits.maxFieldBytes))
            return
        }
        record.bytes.append(byte)
        fieldLength += 1
    }

    private mutating func endField() {
        state = .fieldStart
        fieldLength = 0
        guard failure == nil else { return }
        if record.fieldEnds.count >= limits.maxFields {
            fail(.tooManyFields(line: record.line, limit: limits.maxFields))
            return
        }
        record.fieldEnds.append(record.bytes.count)
    }

    private mutating func fail(_ problem: Problem) {
        if failure == nil { failure = problem }
        record.bytes.removeAll(keepingCapacity: true)
    }

    private mutating func endRecord(_ emit: (Event) throws -> Void) rethrows {
        endField()
        defer { reset() }
        if let failure {
            try emit(.problem(failure))
        } else if record.fieldEnds.count == 1 && record.bytes.isEmpty {
            return  // a blank line
        } else {
            try emit(.record(record))
        }
    }

    private mutating func reset() {
        state = .fieldStart
        record.bytes.removeAll(keepingCapacity: true)
        record.fieldEnds.removeAll(keepingCapacity: true)
        fieldLength = 0
        failure = nil
        raw.removeAll(keepingCapacity: true)
        rawOverflowed = false
        firstLineEnd = nil
        linesInRecord = 0
    }

    /// Reports the record's unclosed quote and reads its later lines again as records.
    private mutating func runawayQuote(_ emit: (Event) throws -> Void) rethrows {
        let startLine = record.line
        let replay = firstLineEnd.map { Array(raw[$0...]) } ?? []
        try emit(.problem(.unclosedQuote(line: startLine)))
        reset()
        afterCR = false
        line = startLine + 1
        for byte in replay {
            try consume(byte, emit)
        }
    }
}
