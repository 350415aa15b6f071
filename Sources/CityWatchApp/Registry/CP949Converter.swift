#if canImport(Glibc)
import Glibc
#endif
import CityWatchDomain

/// Decodes CP949 (Korean Windows) text with glibc's iconv.
///
/// Foundation's CP949 decoding goes through CoreFoundation and ICU and costs several
/// microseconds per field; an import decodes a few fields per row, a million rows per file.
/// One iconv descriptor per import, reset per field, does it in a fraction of that. Not
/// thread-safe: one converter belongs to one import.
final class CP949Converter {
    private let handle: iconv_t
    private var output: [UInt8] = []

    /// Nil when the C library has no CP949 converter (then Foundation's is used).
    init?() {
        guard let handle = iconv_open("UTF-8", "CP949"), handle != iconv_t(bitPattern: -1) else { return nil }
        self.handle = handle
    }

    deinit {
        iconv_close(handle)
    }

    /// The text of `bytes`, or nil when they are not valid CP949.
    func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        let capacity = bytes.count * 2 + 4
        if output.count < capacity { output = [UInt8](repeating: 0, count: capacity) }
        _ = iconv(handle, nil, nil, nil, nil)
        var input = Array(bytes)
        let written: Int? = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inputBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inputBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outputBuffer.count
                guard iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return nil }
                return outputBuffer.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(decoding: output[0..<written], as: UTF8.self)
    }
}

/// Decodes the fields of one import: the file's encoding first, then the other one.
final class FieldDecoder {
    let encoding: RegistryTextEncoding
    private let converter = CP949Converter()

    init(encoding: RegistryTextEncoding) {
        self.encoding = encoding
    }

    /// The trimmed text of a field, or nil when it is neither UTF-8 nor CP949.
    func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        guard !bytes.isEmpty else { return "" }
        if bytes.allSatisfy({ $0 < 0x80 }) || converter == nil {
            return encoding.decode(bytes)
        }
        let first = encoding == .cp949 ? converter!.decode(bytes) : String(validating: bytes, as: UTF8.self)
        if let first { return RegistryTextEncoding.trimmed(first) }
        let second = encoding == .cp949 ? String(validating: bytes, as: UTF8.self) : converter!.decode(bytes)
        return second.map(RegistryTextEncoding.trimmed)
    }
}
