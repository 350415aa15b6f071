/// Erosion and dilation of a 0/1 byte mask by a square of side `2 × radius + 1`, done as a row
/// pass then a column pass through a scratch buffer of the same size, in place. Pixels beyond
/// the frame repeat the edge, so an object touching the border is not eaten from that side.
///
/// Budget: ≤ 25 µs per open or close on 320×180 for radius 1 (release, one core); no allocation.
public enum MaskMorphology {
    /// Removes specks smaller than the square: erode, then dilate.
    public static func open(_ mask: UnsafeMutableBufferPointer<UInt8>, scratch: UnsafeMutableBufferPointer<UInt8>,
                            width: Int, height: Int, radius: Int) {
        guard radius > 0 else { return }
        apply(mask, scratch: scratch, width: width, height: height, radius: radius, dilate: false)
        apply(mask, scratch: scratch, width: width, height: height, radius: radius, dilate: true)
    }

    /// Fills holes and gaps narrower than the square: dilate, then erode.
    public static func close(_ mask: UnsafeMutableBufferPointer<UInt8>, scratch: UnsafeMutableBufferPointer<UInt8>,
                             width: Int, height: Int, radius: Int) {
        guard radius > 0 else { return }
        apply(mask, scratch: scratch, width: width, height: height, radius: radius, dilate: true)
        apply(mask, scratch: scratch, width: width, height: height, radius: radius, dilate: false)
    }

    /// One erosion (`dilate` false: AND over the square) or dilation (OR) of `mask`, in place:
    /// `radius` passes of the 3×3 square, which together make the square of side `2r + 1`.
    public static func apply(_ mask: UnsafeMutableBufferPointer<UInt8>, scratch: UnsafeMutableBufferPointer<UInt8>,
                             width: Int, height: Int, radius: Int, dilate: Bool) {
        precondition(mask.count >= width * height && scratch.count >= width * height, "buffers smaller than the frame")
        guard let m = mask.baseAddress, let s = scratch.baseAddress, width > 0, height > 0 else { return }
        for _ in 0..<radius {
            if dilate { pass3x3(m, s, width, height, |) } else { pass3x3(m, s, width, height, &) }
        }
    }

    /// One 3×3 pass with `op` (`&` erodes, `|` dilates): rows into `s`, then columns back into
    /// `m`. Straight loops over pointers, which the optimiser vectorises.
    @inline(__always)
    private static func pass3x3(_ m: UnsafeMutablePointer<UInt8>, _ s: UnsafeMutablePointer<UInt8>, _ width: Int, _ height: Int,
                                _ op: (UInt8, UInt8) -> UInt8) {
        for row in 0..<height {
            let source = m + row * width, target = s + row * width
            if width == 1 { target[0] = source[0]; continue }
            target[0] = op(source[0], source[1])
            for x in 1..<(width - 1) { target[x] = op(op(source[x - 1], source[x]), source[x + 1]) }
            target[width - 1] = op(source[width - 2], source[width - 1])
        }
        for row in 0..<height {
            let above = s + max(0, row - 1) * width, middle = s + row * width, below = s + min(height - 1, row + 1) * width
            let target = m + row * width
            for x in 0..<width { target[x] = op(op(above[x], middle[x]), below[x]) }
        }
    }
}
