/// The compact stored form of a path of boxes: each box as four little-endian 16-bit fractions
/// of the picture (x, y, width, height; 65,535 = the whole picture), 8 bytes a box instead of
/// some 80 as JSON. The precision (1/65,535 of the picture) is far below a pixel.
extension ImageBox {
    /// Why stored bytes are not a path of boxes.
    public enum PackingFailure: Error, Equatable, Sendable {
        /// The byte count is not a multiple of 8.
        case truncated(count: Int)
    }

    /// `boxes` packed; fractions outside 0…1 are clamped.
    public static func pack(_ boxes: [ImageBox]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(boxes.count * 8)
        for box in boxes {
            for value in [box.x, box.y, box.width, box.height] {
                let scaled = UInt16((min(1, max(0, value)) * 65_535).rounded())
                bytes.append(UInt8(scaled & 0xFF))
                bytes.append(UInt8(scaled >> 8))
            }
        }
        return bytes
    }

    /// The boxes packed in `bytes`.
    public static func unpack(_ bytes: [UInt8]) throws(PackingFailure) -> [ImageBox] {
        guard bytes.count % 8 == 0 else { throw .truncated(count: bytes.count) }
        return stride(from: 0, to: bytes.count, by: 8).map { offset in
            func value(_ index: Int) -> Double {
                Double(UInt16(bytes[offset + 2 * index]) | UInt16(bytes[offset + 2 * index + 1]) << 8) / 65_535
            }
            return ImageBox(x: value(0), y: value(1), width: value(2), height: value(3))
        }
    }
}
