/// An axis-aligned rectangle of whole pixels in frame coordinates: `x`, `y` is the top-left
/// pixel, and the box covers columns `x ..< x + width` and rows `y ..< y + height`.
public struct PixelBox: Codable, Sendable, Hashable {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Columns covered.
    public var width: Int
    /// Rows covered.
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// One past the right column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }
    /// Pixels covered.
    public var area: Int { max(0, width) * max(0, height) }

    /// True when the pixel at column `column`, row `row` lies inside.
    public func contains(column: Int, row: Int) -> Bool {
        column >= x && column < maxX && row >= y && row < maxY
    }

    /// Intersection over union with `other`: 1 for the same box, 0 when they do not touch.
    public func intersectionOverUnion(_ other: PixelBox) -> Double {
        guard let common = intersection(other) else { return 0 }
        let union = area + other.area - common.area
        return union > 0 ? Double(common.area) / Double(union) : 0
    }

    /// The part of this box that lies inside `other`, or nil when they do not overlap.
    public func intersection(_ other: PixelBox) -> PixelBox? {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return nil }
        return PixelBox(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// The part of this box inside a `frameWidth` × `frameHeight` frame, or nil when none is.
    public func clipped(toWidth frameWidth: Int, height frameHeight: Int) -> PixelBox? {
        intersection(PixelBox(x: 0, y: 0, width: frameWidth, height: frameHeight))
    }

    /// This box moved by `dx` columns and `dy` rows.
    public func offsetBy(dx: Int, dy: Int) -> PixelBox {
        PixelBox(x: x + dx, y: y + dy, width: width, height: height)
    }
}
