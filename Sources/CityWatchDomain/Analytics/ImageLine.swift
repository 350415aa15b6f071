/// A tripwire drawn on a camera's picture, from `start` to `end`.
///
/// Its sides are named as seen standing at `start` and looking at `end`: an object crossing
/// from the left side to the right side crosses ``CrossingDirection/leftToRight``.
public struct ImageLine: Codable, Sendable, Hashable {
    public var start: ImagePoint
    public var end: ImagePoint

    public init(start: ImagePoint, end: ImagePoint) {
        self.start = start
        self.end = end
    }

    /// The line, or why it cannot be used (an end off the picture, or no length).
    public func validated() throws(ImageShapeError) -> ImageLine {
        for (index, point) in [start, end].enumerated() where !point.isOnPicture {
            throw .pointOutsidePicture(index: index, x: point.x, y: point.y)
        }
        guard start != end else { throw .zeroLengthLine }
        return self
    }

    /// Which side `point` is on: negative on the left, positive on the right, 0 on the line
    /// (in picture coordinates, where y grows downwards).
    public func side(of point: ImagePoint) -> Double {
        let cross = (end.x - start.x) * (point.y - start.y) - (end.y - start.y) * (point.x - start.x)
        return cross == 0 ? 0 : (cross > 0 ? 1 : -1)
    }

    /// True when the step from `from` to `to` passes through the drawn segment (not merely
    /// through its extension beyond the ends).
    public func isCrossed(from: ImagePoint, to: ImagePoint) -> Bool {
        ImagePolygon.segmentsCross(from, to, start, end)
    }
}

/// Which way a line crossing must go to count.
public enum CrossingDirection: String, Codable, Sendable, Hashable, CaseIterable {
    case leftToRight
    case rightToLeft
    case either
}
