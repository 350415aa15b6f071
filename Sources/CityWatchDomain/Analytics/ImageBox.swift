/// A box on a camera's picture in fractions of its width and height, like ``ImagePoint``: what
/// events and track summaries store, so the console can draw them over any resolution.
public struct ImageBox: Codable, Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// `box` in a `frameWidth × frameHeight` frame, as fractions of that frame.
    public init(_ box: PixelBox, frameWidth: Int, frameHeight: Int) {
        self.init(x: Double(box.x) / Double(frameWidth), y: Double(box.y) / Double(frameHeight),
                  width: Double(box.width) / Double(frameWidth), height: Double(box.height) / Double(frameHeight))
    }
}
