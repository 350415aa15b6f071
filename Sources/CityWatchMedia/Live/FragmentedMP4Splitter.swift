/// Cuts a fragmented-MP4 byte stream (as ffmpeg writes it to the live pipe) into the pieces a
/// browser's Media Source Extensions need: one initialisation segment (`ftyp` + `moov`), then
/// media fragments (`moof` + `mdat`), each marked when it starts with a keyframe so a viewer
/// that joins late, or falls behind, can start cleanly.
///
/// Incremental and bounded: it holds at most one unfinished box. Budget: a few microseconds
/// per fragment on top of copying its bytes.
public struct FragmentedMP4Splitter: Sendable {
    /// A piece of the stream.
    public enum Piece: Sendable, Equatable {
        /// `ftyp` + `moov`, with the codec in the form MSE wants (`avc1.64001f`), when known.
        case initialization(bytes: [UInt8], codec: String?)
        /// One `moof` + `mdat`.
        case fragment(bytes: [UInt8], startsWithKeyframe: Bool)
    }

    /// Why the stream cannot be read.
    public enum Problem: Error, Equatable, Sendable {
        /// A box claims a size that is too small or too large (the stream is corrupt).
        case badBoxSize(type: String, size: UInt64)
    }

    /// The largest box accepted (a fragment of a 4K stream is a few megabytes).
    public static let maximumBoxSize: UInt64 = 64 << 20

    private var buffer: [UInt8] = []
    private var offset = 0
    private var initialization: [UInt8] = []
    private var initialized = false
    private var pendingMoof: [UInt8]?
    private var trackDefaults: [UInt32: UInt32] = [:]

    public init() {}

    /// Feeds bytes; returns the pieces completed by them.
    public mutating func append(_ bytes: some Collection<UInt8>) throws(Problem) -> [Piece] {
        buffer.append(contentsOf: bytes)
        var pieces: [Piece] = []
        while let (type, size) = try nextBoxHeader(), buffer.count - offset >= Int(size) {
            let box = Array(buffer[offset..<(offset + Int(size))])
            offset += Int(size)
            handle(type: type, box: box, into: &pieces)
        }
        if offset > 0 && offset >= buffer.count / 2 {
            buffer.removeFirst(offset)
            offset = 0
        }
        return pieces
    }

    private func nextBoxHeader() throws(Problem) -> (String, UInt64)? {
        guard buffer.count - offset >= 8 else { return nil }
        var size = UInt64(Self.uint32(buffer, offset))
        let type = Self.fourCC(buffer, offset + 4)
        if size == 1 {
            guard buffer.count - offset >= 16 else { return nil }
            size = UInt64(Self.uint32(buffer, offset + 8)) << 32 | UInt64(Self.uint32(buffer, offset + 12))
        }
        guard size >= 8, size <= Self.maximumBoxSize else { throw .badBoxSize(type: type, size: size) }
        return (type, size)
    }

    private mutating func handle(type: String, box: [UInt8], into pieces: inout [Piece]) {
        switch type {
        case "moof":
            if !initialized {
                initialized = true
                pieces.append(.initialization(bytes: initialization, codec: Self.codec(inInitialization: initialization)))
                trackDefaults = Self.trackDefaults(inInitialization: initialization)
            }
            pendingMoof = box
        case "mdat":
            guard let moof = pendingMoof else { return }
            pendingMoof = nil
            pieces.append(.fragment(bytes: moof + box, startsWithKeyframe: startsWithKeyframe(moof)))
        default:
            if !initialized { initialization += box }
        }
    }

    // MARK: - Box reading

    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    static func fourCC(_ bytes: [UInt8], _ at: Int) -> String {
        String(decoding: bytes[at..<(at + 4)], as: UTF8.self)
    }

    /// The children of the box spanning `range` whose content starts at `range.lowerBound + skip`.
    static func children(_ bytes: [UInt8], in range: Range<Int>, skip: Int = 8) -> [(type: String, range: Range<Int>)] {
        var result: [(String, Range<Int>)] = []
        var at = range.lowerBound + skip
        while at + 8 <= range.upperBound {
            let size = Int(uint32(bytes, at))
            guard size >= 8, at + size <= range.upperBound else { break }
            result.append((fourCC(bytes, at + 4), at..<(at + size)))
            at += size
        }
        return result
    }

    static func find(_ path: [String], in bytes: [UInt8], range: Range<Int>, skip: Int = 8) -> Range<Int>? {
        guard let first = path.first else { return range }
        for child in children(bytes, in: range, skip: skip) where child.type == first {
            if let found = find(Array(path.dropFirst()), in: bytes, range: child.range) { return found }
        }
        return nil
    }

    /// `avc1.PPCCLL` from the first video sample entry's `avcC`, or nil.
    static func codec(inInitialization bytes: [UInt8]) -> String? {
        guard let moov = children(bytes, in: 0..<bytes.count, skip: 0).first(where: { $0.type == "moov" })?.range else { return nil }
        for trak in children(bytes, in: moov) where trak.type == "trak" {
            guard let stsd = find(["mdia", "minf", "stbl", "stsd"], in: bytes, range: trak.range) else { continue }
            // stsd: header 8, version/flags 4, entry count 4; avc1 sample entry: header 8 + 78 bytes.
            for entry in children(bytes, in: stsd, skip: 16) where entry.type == "avc1" || entry.type == "avc3" {
                for child in children(bytes, in: entry.range, skip: 8 + 78) where child.type == "avcC" {
                    let at = child.range.lowerBound + 8
                    guard at + 4 <= child.range.upperBound else { return nil }
                    return entry.type + "." + [bytes[at + 1], bytes[at + 2], bytes[at + 3]].map { Self.hex($0) }.joined()
                }
            }
        }
        return nil
    }

    /// The picture's display size from the first video track's `tkhd` (16.16 fixed point; the
    /// muxer writes it with the pixel aspect ratio applied), or nil.
    static func pictureSize(inInitialization bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard let moov = children(bytes, in: 0..<bytes.count, skip: 0).first(where: { $0.type == "moov" })?.range else { return nil }
        for trak in children(bytes, in: moov) where trak.type == "trak" {
            guard let hdlr = find(["mdia", "hdlr"], in: bytes, range: trak.range), hdlr.count >= 20,
                  fourCC(bytes, hdlr.lowerBound + 16) == "vide",
                  let tkhd = children(bytes, in: trak.range).first(where: { $0.type == "tkhd" })?.range else { continue }
            // tkhd: width and height (16.16) follow the matrix, at byte 84 of the box (version 0) or 96 (version 1).
            let at = tkhd.lowerBound + (bytes[tkhd.lowerBound + 8] == 1 ? 96 : 84)
            guard at + 8 <= tkhd.upperBound else { return nil }
            let width = Int(uint32(bytes, at) >> 16), height = Int(uint32(bytes, at + 4) >> 16)
            return width > 0 && height > 0 ? (width, height) : nil
        }
        return nil
    }

    /// Default sample flags per track, from `moov/mvex/trex`.
    static func trackDefaults(inInitialization bytes: [UInt8]) -> [UInt32: UInt32] {
        guard let moov = children(bytes, in: 0..<bytes.count, skip: 0).first(where: { $0.type == "moov" })?.range,
              let mvex = children(bytes, in: moov).first(where: { $0.type == "mvex" })?.range else { return [:] }
        var defaults: [UInt32: UInt32] = [:]
        for trex in children(bytes, in: mvex) where trex.type == "trex" && trex.range.count >= 32 {
            defaults[uint32(bytes, trex.range.lowerBound + 12)] = uint32(bytes, trex.range.lowerBound + 28)
        }
        return defaults
    }

    /// True when the first sample of the fragment is a sync sample (a keyframe).
    func startsWithKeyframe(_ moof: [UInt8]) -> Bool {
        guard let traf = Self.children(moof, in: 0..<moof.count).first(where: { $0.type == "traf" })?.range else { return false }
        let boxes = Self.children(moof, in: traf)
        var flags: UInt32?
        if let tfhd = boxes.first(where: { $0.type == "tfhd" })?.range {
            let tfFlags = Self.uint32(moof, tfhd.lowerBound + 8) & 0xFFFFFF
            let track = Self.uint32(moof, tfhd.lowerBound + 12)
            flags = trackDefaults[track]
            var at = tfhd.lowerBound + 16
            if tfFlags & 0x01 != 0 { at += 8 }
            if tfFlags & 0x02 != 0 { at += 4 }
            if tfFlags & 0x08 != 0 { at += 4 }
            if tfFlags & 0x10 != 0 { at += 4 }
            if tfFlags & 0x20 != 0, at + 4 <= tfhd.upperBound { flags = Self.uint32(moof, at) }
        }
        if let trun = boxes.first(where: { $0.type == "trun" })?.range {
            let trFlags = Self.uint32(moof, trun.lowerBound + 8) & 0xFFFFFF
            var at = trun.lowerBound + 16
            if trFlags & 0x01 != 0 { at += 4 }
            if trFlags & 0x04 != 0, at + 4 <= trun.upperBound {
                flags = Self.uint32(moof, at)
            } else if trFlags & 0x400 != 0 {
                if trFlags & 0x04 != 0 { at += 4 }
                if trFlags & 0x100 != 0 { at += 4 }
                if trFlags & 0x200 != 0 { at += 4 }
                if at + 4 <= trun.upperBound { flags = Self.uint32(moof, at) }
            }
        }
        guard let flags else { return false }
        return flags & 0x0001_0000 == 0
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
