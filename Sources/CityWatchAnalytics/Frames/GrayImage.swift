/// A picture of 8-bit luma, row after row with no padding: the frames the pipeline hands to
/// analytics (the Y plane of its low-resolution output).
///
/// Analytics keep one of these per buffer and refill it in place every frame; nothing in the
/// per-frame path allocates a new one.
public struct GrayImage: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    /// `width × height` luma values, top row first.
    public var pixels: [UInt8]

    /// A picture of `width × height` filled with `value`.
    public init(width: Int, height: Int, value: UInt8 = 0) {
        precondition(width > 0 && height > 0, "an image needs a size")
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: value, count: width * height)
    }

    /// A picture over existing luma values; nil when their count is not `width × height`.
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard width > 0, height > 0, pixels.count == width * height else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The value at column `x`, row `y`.
    @inlinable public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }
}
