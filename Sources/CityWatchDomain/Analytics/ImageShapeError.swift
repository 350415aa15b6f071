/// Why a zone or line drawn on a picture cannot be used.
public enum ImageShapeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A zone needs at least three corners.
    case tooFewPoints(count: Int)
    /// A corner lies outside the picture (coordinates must be within 0...1).
    case pointOutsidePicture(index: Int, x: Double, y: Double)
    /// Two edges of the zone cross each other.
    case selfIntersecting(edge: Int, otherEdge: Int)
    /// The zone has no area (its corners lie on one line).
    case noArea
    /// A line's two ends are the same point.
    case zeroLengthLine

    public var description: String {
        switch self {
        case .tooFewPoints(let count): "a zone needs at least 3 points, got \(count)"
        case .pointOutsidePicture(let index, let x, let y): "point \(index + 1) (\(x), \(y)) is outside the picture (0...1)"
        case .selfIntersecting(let edge, let other): "edges \(edge + 1) and \(other + 1) of the zone cross each other"
        case .noArea: "the zone has no area"
        case .zeroLengthLine: "the line's ends are the same point"
        }
    }
}
