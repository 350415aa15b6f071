/// A 0/1 mask packed one bit a pixel: each row is `rowWords` words of 64 pixels, pixel `x` in
/// bit `x % 64` of word `x / 64`, the bits beyond the width always 0. The detector cleans,
/// tracks and labels its foreground in this form: a 320-pixel row is 5 words, so a
/// morphological pass or a run search touches 64 pixels per instruction.
///
/// Budget: packing a 320×180 byte mask ≤ 10 µs, unpacking it ≤ 5 µs (release, one core;
/// measured ~8 and ~3 µs, an empty word unpacked with plain stores); nothing allocates after
/// init.
struct PackedMask: Sendable, Equatable {
    /// Columns of the mask.
    let width: Int
    /// Rows of the mask.
    let height: Int
    /// Words per row.
    let rowWords: Int
    /// `height × rowWords` words, top row first.
    var words: [UInt64]

    /// An empty (all 0) mask of `width` × `height`.
    init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "a mask needs a size")
        self.width = width
        self.height = height
        rowWords = (width + 63) / 64
        words = [UInt64](repeating: 0, count: rowWords * height)
    }

    /// The bits of a row's last word that are pixels.
    var lastWordBits: UInt64 {
        let used = width - (rowWords - 1) * 64
        return used == 64 ? ~0 : (1 &<< UInt64(used)) &- 1
    }

    /// Whether pixel (`x`, `y`) is set.
    subscript(x: Int, y: Int) -> Bool {
        words[y * rowWords + x / 64] &>> UInt64(x % 64) & 1 != 0
    }

    /// Sets every pixel to 0.
    mutating func clear() {
        words.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Sets every pixel to 1 (the bits beyond the width stay 0).
    mutating func fill() {
        let rowWords = rowWords, last = lastWordBits
        words.withUnsafeMutableBufferPointer { words in
            words.update(repeating: ~0)
            for row in 0..<height { words[row * rowWords + rowWords - 1] = last }
        }
    }

    /// Replaces the mask with `bytes` (`width × height`, row after row; any non-zero byte is set).
    mutating func pack(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(bytes.count >= width * height, "bytes smaller than the mask")
        let w = width, rowWords = rowWords
        words.withUnsafeMutableBufferPointer { words in
            for row in 0..<height { Self.pack(bytes.baseAddress! + row * w, w, into: words.baseAddress! + row * rowWords) }
        }
    }

    /// Writes the mask into `bytes` (`width × height`, row after row) as 0 and 1.
    func unpack(into bytes: UnsafeMutableBufferPointer<UInt8>) {
        precondition(bytes.count >= width * height, "bytes smaller than the mask")
        for row in 0..<height { unpack(row: row, into: bytes.baseAddress! + row * width) }
    }

    /// Writes row `row` into the `width` bytes at `bytes` as 0 and 1.
    func unpack(row: Int, into bytes: UnsafeMutablePointer<UInt8>) {
        let w = width, rowWords = rowWords
        words.withUnsafeBufferPointer { Self.unpack($0.baseAddress! + row * rowWords, w, into: bytes) }
    }

    /// Packs the `width` bytes at `bytes` (any non-zero byte is set; when `onesOnly`, every byte
    /// is 0 or 1) into a row of words.
    @inline(__always)
    static func pack(_ bytes: UnsafePointer<UInt8>, _ width: Int, into words: UnsafeMutablePointer<UInt64>, onesOnly: Bool = false) {
        let source = UnsafeRawPointer(bytes)
        for word in 0..<(width + 63) / 64 {
            let first = word * 64, count = min(64, width - first)
            var bits: UInt64 = 0
            var x = 0
            while x + 8 <= count {
                let eight = source.loadUnaligned(fromByteOffset: first + x, as: UInt64.self)
                bits |= (onesOnly ? gatherEight(eight) : packEight(eight)) &<< UInt64(x)
                x += 8
            }
            while x < count {
                if bytes[first + x] != 0 { bits |= 1 &<< UInt64(x) }
                x += 1
            }
            words[word] = bits
        }
    }

    /// Unpacks a row of words into `width` bytes of 0 and 1.
    static func unpack(_ words: UnsafePointer<UInt64>, _ width: Int, into bytes: UnsafeMutablePointer<UInt8>) {
        let target = UnsafeMutableRawPointer(bytes)
        for word in 0..<(width + 63) / 64 {
            let first = word * 64, count = min(64, width - first)
            let bits = words[word]
            var x = 0
            if bits == 0 && count == 64 {
                // Most of a picture is background: eight plain stores.
                for eight in 0..<8 { target.storeBytes(of: 0, toByteOffset: first + 8 * eight, as: UInt64.self) }
                continue
            }
            while x + 8 <= count {
                target.storeBytes(of: unpackEight(UInt8(truncatingIfNeeded: bits &>> UInt64(x))), toByteOffset: first + x, as: UInt64.self)
                x += 8
            }
            while x < count {
                bytes[first + x] = UInt8(truncatingIfNeeded: bits &>> UInt64(x) & 1)
                x += 1
            }
        }
    }

    /// Eight bytes (the first in the low byte) to eight bits: bit `i` set when byte `i` is not 0.
    @inline(__always)
    static func packEight(_ eight: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        // High bit of each byte set when the byte is not 0, then moved to the byte's low bit.
        return gatherEight(((((eight & low7) &+ low7) | eight) >> 7) & 0x0101_0101_0101_0101)
    }

    /// Eight bytes of 0 or 1 to eight bits.
    @inline(__always)
    static func gatherEight(_ flags: UInt64) -> UInt64 {
        // The multiply moves byte i's low bit to bit 56 + i, with no two products meeting.
        (flags &* 0x0102_0408_1020_4080) >> 56
    }

    /// Eight bits to eight bytes of 0 or 1 (bit 0 to the low byte).
    @inline(__always)
    static func unpackEight(_ bits: UInt8) -> UInt64 {
        // Copy the byte into every byte, keep bit i in byte i, then turn each non-zero byte to 1.
        let spread = (UInt64(bits) &* 0x0101_0101_0101_0101) & 0x8040_2010_0804_0201
        return ((spread &+ 0x7F7F_7F7F_7F7F_7F7F) >> 7) & 0x0101_0101_0101_0101
    }
}
