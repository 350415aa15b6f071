/// The chroma of a frame at half resolution in both directions (the U and V planes of
/// yuv420p), for the dominant colour of tracked objects. Optional: analytics run on luma alone.
public struct ColorPlanes: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Blue-difference chroma, 128 = none.
    public var u: [UInt8]
    /// Red-difference chroma, 128 = none.
    public var v: [UInt8]

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        self.u = [UInt8](repeating: 128, count: width * height)
        self.v = [UInt8](repeating: 128, count: width * height)
    }
}
