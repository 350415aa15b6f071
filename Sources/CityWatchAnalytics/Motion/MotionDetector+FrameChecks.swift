/// The checks that stop a frame before the background sees it: black (lens covered, decoder
/// failure) and frozen (the very same bytes again).
///
/// Budget: ≤ 5 µs per 320×180 frame together (release, one core; measured ~2.6 µs: a normal
/// frame's black test stops after a few dozen samples, its frozen test at the first differing
/// 64 bytes, and the copy it keeps is made by the next pass over the frame).
extension MotionDetector {
    /// True when fewer than 1 % of a sample of pixels (every 7th) are brighter than the black
    /// level; stops as soon as enough bright ones are seen, so a normal frame costs a few dozen.
    func isBlack(_ pixels: UnsafeBufferPointer<UInt8>) -> Bool {
        let samples = (pixels.count + 6) / 7
        var bright = 0, index = 0
        while index < pixels.count {
            if pixels[index] > configuration.blackLevel {
                bright += 1
                if bright * 100 >= samples { return false }
            }
            index += 7
        }
        return true
    }

    /// True when the frame is byte for byte the previous one (compared 64 bytes at a time).
    func isUnchanged(_ pixels: UnsafeBufferPointer<UInt8>) -> Bool {
        previous.withUnsafeBufferPointer { old in
            let a = UnsafeRawPointer(old.baseAddress!), b = UnsafeRawPointer(pixels.baseAddress!)
            var offset = 0
            while offset + 64 <= pixels.count {
                var differ: UInt64 = 0
                for word in 0..<8 {
                    let at = offset + 8 * word
                    differ |= a.loadUnaligned(fromByteOffset: at, as: UInt64.self) ^ b.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                }
                if differ != 0 { return false }
                offset += 64
            }
            for index in offset..<pixels.count where old[index] != pixels[index] { return false }
            return true
        }
    }
}
