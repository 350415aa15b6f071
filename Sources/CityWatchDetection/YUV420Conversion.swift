/// Frames come to the analytics as yuv420p (luma, then quarter-size U and V planes); the
/// network was trained on colour, and finds vehicles seen from above or far away in RGB that it
/// misses in gray.
public enum YUV420Conversion {
    /// The RGB (BT.601, limited range, as ffmpeg's yuv420p from camera streams) of a yuv420p
    /// frame, 3 bytes per pixel, rows packed; nil when `pixels` is shorter than such a frame.
    public static func rgb(fromYUV420p pixels: [UInt8], width: Int, height: Int) -> [UInt8]? {
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        let lumaCount = width * height, chromaCount = chromaWidth * chromaHeight
        guard width > 0, height > 0, pixels.count >= lumaCount + 2 * chromaCount else { return nil }
        var rgb = [UInt8](repeating: 0, count: lumaCount * 3)
        rgb.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { source in
                for row in 0..<height {
                    let chromaRow = (row / 2) * chromaWidth
                    for column in 0..<width {
                        let y = 1.164 * (Double(source[row * width + column]) - 16)
                        let chroma = chromaRow + column / 2
                        let u = Double(source[lumaCount + chroma]) - 128
                        let v = Double(source[lumaCount + chromaCount + chroma]) - 128
                        let at = (row * width + column) * 3
                        out[at] = clamp(y + 1.596 * v)
                        out[at + 1] = clamp(y - 0.392 * u - 0.813 * v)
                        out[at + 2] = clamp(y + 2.017 * u)
                    }
                }
            }
        }
        return rgb
    }

    private static func clamp(_ value: Double) -> UInt8 {
        UInt8(max(0, min(255, value.rounded())))
    }
}
