/// A zone drawn on a camera's picture: a simple polygon in ``ImagePoint`` coordinates.
public struct ImagePolygon: Codable, Sendable, Hashable {
    /// Corners in drawing order; the last joins the first.
    public var points: [ImagePoint]

    public init(points: [ImagePoint]) {
        self.points = points
    }

    /// The polygon, or the reason it cannot be used: fewer than 3 points, a point off the
    /// picture, crossing edges, or no area.
    public func validated() throws(ImageShapeError) -> ImagePolygon {
        guard points.count >= 3 else { throw .tooFewPoints(count: points.count) }
        for (index, point) in points.enumerated() where !point.isOnPicture {
            throw .pointOutsidePicture(index: index, x: point.x, y: point.y)
        }
        let count = points.count
        for first in 0..<count {
            for second in (first + 1)..<count {
                // Neighbouring edges share a corner; that is not a crossing.
                if second == first + 1 || (first == 0 && second == count - 1) { continue }
                if Self.segmentsCross(points[first], points[(first + 1) % count], points[second], points[(second + 1) % count]) {
                    throw .selfIntersecting(edge: first, otherEdge: second)
                }
            }
        }
        guard abs(signedArea) > 1e-9 else { throw .noArea }
        return self
    }

    /// Corners drawn within `margin` of a picture edge moved just past it. A zone drawn to the
    /// bottom edge ends at y = 1, where a test of "inside" on its boundary says no: an object
    /// cut off by that edge, its foot on the last row, would never be in the zone. A drawing
    /// hand does not hit the edge exactly either; 2 % of the picture is taken as meaning it.
    public func reachingEdges(within margin: Double = 0.02) -> ImagePolygon {
        let past = 0.001
        func pushed(_ value: Double) -> Double {
            value <= margin ? -past : value >= 1 - margin ? 1 + past : value
        }
        return ImagePolygon(points: points.map { ImagePoint(x: pushed($0.x), y: pushed($0.y)) })
    }

    /// The signed area in picture fractions (positive when the corners run clockwise on screen).
    public var signedArea: Double {
        var sum = 0.0
        for index in points.indices {
            let a = points[index], b = points[(index + 1) % points.count]
            sum += a.x * b.y - b.x * a.y
        }
        return sum / 2
    }

    /// True when `point` lies inside (even-odd rule; points on an edge may fall either way).
    public func contains(_ point: ImagePoint) -> Bool {
        var inside = false
        var previous = points.count - 1
        for current in points.indices {
            let a = points[current], b = points[previous]
            if (a.y > point.y) != (b.y > point.y) {
                let crossingX = (b.x - a.x) * (point.y - a.y) / (b.y - a.y) + a.x
                if point.x < crossingX { inside.toggle() }
            }
            previous = current
        }
        return inside
    }

    /// The whole picture.
    public static let wholePicture = ImagePolygon(points: [
        ImagePoint(x: 0, y: 0), ImagePoint(x: 1, y: 0), ImagePoint(x: 1, y: 1), ImagePoint(x: 0, y: 1),
    ])

    /// True when segments ab and cd cross at a point inside both (touching ends do not count).
    static func segmentsCross(_ a: ImagePoint, _ b: ImagePoint, _ c: ImagePoint, _ d: ImagePoint) -> Bool {
        func orientation(_ p: ImagePoint, _ q: ImagePoint, _ r: ImagePoint) -> Double {
            (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)
        }
        let d1 = orientation(c, d, a), d2 = orientation(c, d, b)
        let d3 = orientation(a, b, c), d4 = orientation(a, b, d)
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
    }
}
