/// A point on a camera's picture in fractions of its width and height: (0, 0) is the top-left
/// corner, (1, 1) the bottom-right. Rules are drawn this way so they survive a change of
/// resolution (the analysis frames are smaller than the main stream the operator draws on).
public struct ImagePoint: Codable, Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// True when the point lies on the picture (both coordinates within 0...1).
    public var isOnPicture: Bool { (0...1).contains(x) && (0...1).contains(y) }
}
