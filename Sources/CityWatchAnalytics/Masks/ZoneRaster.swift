import CityWatchDomain

/// Polygons drawn on a camera's picture (``ImagePolygon``, in fractions of the picture) turned
/// into one byte per pixel of a `width` × `height` analysis frame: 1 inside any polygon, 0
/// outside. Privacy masks become the pixels motion never looks at; zones become the pixels a
/// rule tests in constant time.
///
/// A pixel is inside when its centre is (even-odd rule per polygon, union over polygons), so the
/// same drawing gives the same share of the picture at every resolution. Built once per
/// configuration change, never per frame.
public struct ZoneRaster: Sendable, Equatable {
    /// Columns of the frame it covers.
    public let width: Int
    /// Rows of the frame it covers.
    public let height: Int
    /// `width × height` bytes, top row first: 1 inside, 0 outside.
    public private(set) var pixels: [UInt8]

    /// Rasterises `polygons` for a `width` × `height` frame. Polygons with fewer than three
    /// points cover nothing; points off the picture are clipped by the frame.
    public init(width: Int, height: Int, polygons: [ImagePolygon]) {
        precondition(width > 0 && height > 0, "a raster needs a size")
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: 0, count: width * height)
        var crossings: [Double] = []
        for polygon in polygons where polygon.points.count >= 3 {
            fill(polygon, crossings: &crossings)
        }
    }

    /// Pixels inside.
    public var coveredCount: Int { pixels.reduce(0) { $0 + Int($1) } }

    /// True when the pixel at `column`, `row` is inside; false off the frame.
    public func contains(column: Int, row: Int) -> Bool {
        guard column >= 0, column < width, row >= 0, row < height else { return false }
        return pixels[row * width + column] != 0
    }

    /// Scanline fill: on each row, where the row's centre line crosses the polygon's edges,
    /// the pixels whose centres lie between the 1st and 2nd crossing, 3rd and 4th… are inside.
    private mutating func fill(_ polygon: ImagePolygon, crossings: inout [Double]) {
        let points = polygon.points
        for row in 0..<height {
            let y = (Double(row) + 0.5) / Double(height)
            crossings.removeAll(keepingCapacity: true)
            var previous = points[points.count - 1]
            for point in points {
                // Half-open test so a vertex on the line counts once.
                if (point.y > y) != (previous.y > y) {
                    crossings.append(previous.x + (point.x - previous.x) * (y - previous.y) / (point.y - previous.y))
                }
                previous = point
            }
            crossings.sort()
            var pair = 0
            while pair + 1 < crossings.count {
                // Pixel centres (c + 0.5) / width inside [left, right).
                let first = max(0, Int((crossings[pair] * Double(width) - 0.5).rounded(.up)))
                let last = min(width, Int((crossings[pair + 1] * Double(width) - 0.5).rounded(.up)))
                if last > first {
                    for column in first..<last { pixels[row * width + column] = 1 }
                }
                pair += 2
            }
        }
    }
}
