import Foundation

/// The text encoding of a registry file, and decoding of its fields.
///
/// Korean public data comes in CP949 (the old default of Korean Windows) or UTF-8, with or
/// without a byte-order mark. The file's encoding is sniffed from its first bytes; a field that
/// does not decode in it is tried in the other before it is reported.
public enum RegistryTextEncoding: String, Sendable, Codable {
    case utf8 = "utf-8"
    case cp949

    /// Why a file cannot be read as text at all.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// A UTF-16 byte-order mark: the file must be saved as UTF-8 or CP949.
        case utf16
        /// A zero byte at `offset`: binary data, not a CSV text file.
        case binary(offset: Int)

        public var description: String {
            switch self {
            case .utf16: "the file is UTF-16 text; save it as UTF-8 or CP949 (EUC-KR) CSV"
            case .binary(let offset): "the file holds a zero byte at offset \(offset): it is binary data, not a CSV text file"
            }
        }
    }

    /// Foundation's name for CP949 (DOS Korean, a superset of EUC-KR).
    static let foundationCP949 = String.Encoding(rawValue: 0x8000_0422)

    /// Sniffs the encoding from the start of a file; returns it and how many bytes of
    /// byte-order mark to skip.
    public static func sniff(_ start: some Collection<UInt8>) throws(Problem) -> (RegistryTextEncoding, bomLength: Int) {
        let head = Array(start.prefix(4))
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { throw .utf16 }
        if let zero = start.firstIndex(of: 0) { throw .binary(offset: start.distance(from: start.startIndex, to: zero)) }
        return (isUTF8AllowingCutEnd(Array(start)) ? .utf8 : .cp949, 0)
    }

    /// Decodes one field, trimming surrounding white space; nil when the bytes are text in
    /// neither encoding.
    public func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return Self.trim(String(decoding: bytes, as: UTF8.self))
        }
        let first = decodeStrictly(bytes, as: self)
        if let first { return Self.trim(first) }
        return decodeStrictly(bytes, as: self == .utf8 ? .cp949 : .utf8).map(Self.trim)
    }

    private func decodeStrictly(_ bytes: ArraySlice<UInt8>, as encoding: RegistryTextEncoding) -> String? {
        switch encoding {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .cp949:
            return String(bytes: bytes, encoding: Self.foundationCP949)
        }
    }

    /// `text` without surrounding white space or byte-order mark.
    public static func trimmed(_ text: String) -> String {
        trim(text)
    }

    private static func trim(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace || first == "\u{FEFF}"
        else { return text }
        var scalars = Substring(text).unicodeScalars
        while let f = scalars.first, f.properties.isWhitespace || f == "\u{FEFF}" { scalars.removeFirst() }
        while let l = scalars.last, l.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// True when `bytes` is valid UTF-8 except perhaps for a sequence cut off at the end.
    static func isUTF8AllowingCutEnd(_ bytes: [UInt8]) -> Bool {
        var end = bytes.count
        // Drop an incomplete last sequence (at most 3 bytes) before validating.
        var back = 0
        while back < 3, end - back - 1 >= 0, bytes[end - back - 1] & 0xC0 == 0x80 { back += 1 }
        if end - back - 1 >= 0 {
            let lead = bytes[end - back - 1]
            let needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0
            if needed > back { end = end - back - 1 }
        }
        return String(validating: bytes[..<end], as: UTF8.self) != nil
    }
}
