/// The cells a shape drawn on the picture touches, edges included: what a search looks for in
/// the index. Exact for the grid (no sampling), so a skip by cells never loses a match.
extension GridCells {
    /// Cells that overlap `polygon` (share at least one point with it).
    public static func overlapping(_ polygon: ImagePolygon) -> GridCells {
        var cells = GridCells.none
        let points = polygon.points
        guard points.count >= 3 else { return cells }
        let xs = points.map(\.x), ys = points.map(\.y)
        let span = cellSpan(left: xs.min()!, top: ys.min()!, right: xs.max()!, bottom: ys.max()!)
        for row in span.rows {
            for column in span.columns {
                let index = row * columns + column
                let cell = rectangle(of: index)
                let corners = [ImagePoint(x: cell.left, y: cell.top), ImagePoint(x: cell.right, y: cell.top),
                               ImagePoint(x: cell.right, y: cell.bottom), ImagePoint(x: cell.left, y: cell.bottom)]
                let touches = points.contains { inside($0, cell) }
                    || corners.contains(where: polygon.contains)
                    || points.indices.contains { segment(points[$0], points[($0 + 1) % points.count], touches: cell) }
                if touches { cells.insert(index) }
            }
        }
        return cells
    }

    /// Cells the segment from `start` to `end` passes through.
    public static func along(_ start: ImagePoint, _ end: ImagePoint) -> GridCells {
        var cells = GridCells.none
        cells.insert(cell(of: start))
        cells.insert(cell(of: end))
        let span = cellSpan(left: min(start.x, end.x), top: min(start.y, end.y), right: max(start.x, end.x), bottom: max(start.y, end.y))
        for row in span.rows {
            for column in span.columns where segment(start, end, touches: rectangle(of: row * columns + column)) {
                cells.insert(row * columns + column)
            }
        }
        return cells
    }

    /// Cells along a path of points (each point's cell and every step between two).
    public static func along(path points: [ImagePoint]) -> GridCells {
        guard let first = points.first else { return .none }
        var cells = GridCells.none
        cells.insert(cell(of: first))
        for (from, to) in zip(points, points.dropFirst()) { cells = cells.union(along(from, to)) }
        return cells
    }

    private static func cellSpan(left: Double, top: Double, right: Double, bottom: Double) -> (columns: ClosedRange<Int>, rows: ClosedRange<Int>) {
        func clamp(_ value: Int, _ limit: Int) -> Int { max(0, min(limit - 1, value)) }
        // One cell of margin: a point on a cell edge belongs to both cells.
        let c0 = clamp(Int((left * Double(columns)).rounded(.down)) - 1, columns)
        let c1 = clamp(Int((right * Double(columns)).rounded(.down)) + 1, columns)
        let r0 = clamp(Int((top * Double(rows)).rounded(.down)) - 1, rows)
        let r1 = clamp(Int((bottom * Double(rows)).rounded(.down)) + 1, rows)
        return (c0...c1, r0...r1)
    }

    private static func inside(_ point: ImagePoint, _ cell: (left: Double, top: Double, right: Double, bottom: Double)) -> Bool {
        point.x >= cell.left && point.x <= cell.right && point.y >= cell.top && point.y <= cell.bottom
    }

    /// True when the segment shares a point with the rectangle (Liang–Barsky clipping).
    private static func segment(_ a: ImagePoint, _ b: ImagePoint, touches cell: (left: Double, top: Double, right: Double, bottom: Double)) -> Bool {
        let dx = b.x - a.x, dy = b.y - a.y
        var low = 0.0, high = 1.0
        for (p, q) in [(-dx, a.x - cell.left), (dx, cell.right - a.x), (-dy, a.y - cell.top), (dy, cell.bottom - a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let t = q / p
                if p < 0 { low = max(low, t) } else { high = min(high, t) }
                if low > high { return false }
            }
        }
        return true
    }
}
