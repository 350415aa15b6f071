import CityWatchDomain

/// The few geometric tests the expected events need, in pixels of the analysis frame.
///
/// Written here on purpose rather than borrowed from the domain's ``ImagePolygon`` and
/// ``ImageLine``: the answers the analyzer is scored against must not share its code, or a bug
/// in it would be scored as right.
struct PictureGeometry: Sendable {
    /// Frame size in pixels; rule shapes are fractions of it.
    let width: Double
    let height: Double

    init(width: Int, height: Int) {
        self.width = Double(width)
        self.height = Double(height)
    }

    /// Where an object stands: the middle of its box's bottom edge.
    static func foot(of box: PixelBox) -> (x: Double, y: Double) {
        (Double(box.x) + Double(box.width) / 2, Double(box.y + box.height))
    }

    /// A rule's point in pixels.
    func pixels(_ point: ImagePoint) -> (x: Double, y: Double) {
        (point.x * width, point.y * height)
    }

    /// True when (x, y) lies inside `zone` (ray casting, even-odd).
    func contains(_ zone: ImagePolygon, x: Double, y: Double) -> Bool {
        let corners = zone.points.map(pixels)
        guard corners.count >= 3 else { return false }
        var inside = false
        var j = corners.count - 1
        for i in corners.indices {
            let a = corners[i], b = corners[j]
            if (a.y > y) != (b.y > y), x < a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y) { inside.toggle() }
            j = i
        }
        return inside
    }

    /// -1 when (x, y) is on the left of `line` — the left hand of someone walking on the screen
    /// from its start to its end — +1 on the right, 0 on it.
    func side(of line: ImageLine, x: Double, y: Double) -> Int {
        let a = pixels(line.start), b = pixels(line.end)
        let cross = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)
        return cross > 0 ? 1 : (cross < 0 ? -1 : 0)
    }

    /// True when the step p→q passes through the drawn segment of `line`.
    func crosses(_ line: ImageLine, from p: (x: Double, y: Double), to q: (x: Double, y: Double)) -> Bool {
        let a = pixels(line.start), b = pixels(line.end)
        func turn(_ o: (x: Double, y: Double), _ u: (x: Double, y: Double), _ v: (x: Double, y: Double)) -> Double {
            (u.x - o.x) * (v.y - o.y) - (u.y - o.y) * (v.x - o.x)
        }
        let d1 = turn(a, b, p), d2 = turn(a, b, q), d3 = turn(p, q, a), d4 = turn(p, q, b)
        return d1 * d2 < 0 && d3 * d4 <= 0
    }
}
