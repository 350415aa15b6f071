/// The pixels the evaluation hands the analyzer, as production's ffmpeg would: luma only
/// (`-pix_fmt gray`) or planar 4:2:0 (`-pix_fmt yuv420p`). Both are limited-range BT.601, the
/// range ffmpeg's scaler produces from RGB by default.
public enum AnalysisPixelFormat: String, CaseIterable, Sendable, Codable {
    /// The Y plane alone: width × height bytes.
    case gray
    /// Y, then U and V at half the width and height (rounded up).
    case yuv420p

    /// Bytes of one `width` × `height` frame.
    public func frameByteCount(width: Int, height: Int) -> Int {
        switch self {
        case .gray: width * height
        case .yuv420p: width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2)
        }
    }

    /// Converts one RGB24 frame (rows top to bottom) into this format, in `output` (resized to
    /// ``frameByteCount(width:height:)``; keep it between frames and nothing is allocated).
    public func convert(rgb: [UInt8], width: Int, height: Int, into output: inout [UInt8]) {
        let count = frameByteCount(width: width, height: height)
        if output.count != count { output = [UInt8](repeating: 0, count: count) }
        rgb.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for pixel in 0..<(width * height) {
                    let r = Int(source[3 * pixel]), g = Int(source[3 * pixel + 1]), b = Int(source[3 * pixel + 2])
                    target[pixel] = UInt8(truncatingIfNeeded: (66 * r + 129 * g + 25 * b + 128) >> 8 + 16)
                }
                guard self == .yuv420p else { return }
                let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
                let uBase = width * height, vBase = uBase + chromaWidth * chromaHeight
                for row in 0..<chromaHeight {
                    for column in 0..<chromaWidth {
                        // The mean colour of the 2×2 block (fewer pixels on an odd edge).
                        var r = 0, g = 0, b = 0, n = 0
                        for y in (2 * row)..<min(height, 2 * row + 2) {
                            for x in (2 * column)..<min(width, 2 * column + 2) {
                                let offset = 3 * (y * width + x)
                                r += Int(source[offset]); g += Int(source[offset + 1]); b += Int(source[offset + 2]); n += 1
                            }
                        }
                        r /= n; g /= n; b /= n
                        let chroma = row * chromaWidth + column
                        target[uBase + chroma] = UInt8(truncatingIfNeeded: (-38 * r - 74 * g + 112 * b + 128) >> 8 + 128)
                        target[vBase + chroma] = UInt8(truncatingIfNeeded: (112 * r - 94 * g - 18 * b + 128) >> 8 + 128)
                    }
                }
            }
        }
    }
}
