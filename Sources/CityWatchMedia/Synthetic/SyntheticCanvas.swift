import CityWatchDomain

/// A frame being drawn: `width` × `height` RGB24 pixels, rows top to bottom, no padding. Every
/// primitive clips to the frame, so callers may draw boxes that stick out of it.
///
/// Budget: primitives touch only the pixels they cover, with no allocation (they run inside the
/// renderer's per-frame loop).
struct SyntheticCanvas {
    let pixels: UnsafeMutableBufferPointer<UInt8>
    let width: Int
    let height: Int

    /// Paints the whole frame.
    func fill(_ color: SceneColor) {
        guard height > 0 else { return }
        fillSpan(row: 0, from: 0, to: width, color)
        let rowBytes = width * 3
        guard let base = pixels.baseAddress else { return }
        for row in 1..<height { (base + row * rowBytes).update(from: base, count: rowBytes) }
    }

    /// Paints columns `from ..< to` of `row`.
    @inline(__always)
    func fillSpan(row: Int, from: Int, to: Int, _ color: SceneColor) {
        guard row >= 0, row < height else { return }
        let start = max(0, from), end = min(width, to)
        guard end > start else { return }
        var offset = (row * width + start) * 3
        for _ in start..<end {
            pixels[offset] = color.red
            pixels[offset + 1] = color.green
            pixels[offset + 2] = color.blue
            offset += 3
        }
    }

    /// Paints a whole box.
    func fillRect(_ box: PixelBox, _ color: SceneColor) {
        for row in max(0, box.y)..<max(max(0, box.y), min(height, box.maxY)) {
            fillSpan(row: row, from: box.x, to: box.maxX, color)
        }
    }

    /// Paints a box with its corners rounded by `radius` pixels (capped at half the shorter side).
    func fillRoundedRect(_ box: PixelBox, radius: Int, _ color: SceneColor) {
        guard box.width > 0, box.height > 0 else { return }
        let r = max(0, min(radius, box.width / 2, box.height / 2))
        for row in 0..<box.height {
            let fromEdge = min(row, box.height - 1 - row)
            var inset = 0
            if fromEdge < r {
                let dy = Double(r - fromEdge) - 0.5
                inset = Int((Double(r) - (Double(r * r) - dy * dy).squareRoot()).rounded())
            }
            fillSpan(row: box.y + row, from: box.x + inset, to: box.maxX - inset, color)
        }
    }

    /// Paints the ellipse inscribed in a box; every row and column of the box gets at least one
    /// pixel, so the box is the ellipse's tight bounding box.
    func fillEllipse(_ box: PixelBox, _ color: SceneColor) {
        let rx = Double(box.width) / 2, ry = Double(box.height) / 2
        guard rx > 0, ry > 0 else { return }
        for row in 0..<box.height {
            let dy = (Double(row) + 0.5 - ry) / ry
            let half = rx * max(0, 1 - dy * dy).squareRoot()
            var from = Int((rx - half).rounded()), to = Int((rx + half).rounded())
            if to <= from { (from, to) = ((box.width - 1) / 2, box.width / 2 + 1) }
            fillSpan(row: box.y + row, from: box.x + from, to: box.x + to, color)
        }
    }

    /// Copies `source` (a frame of the same size) moved by `dx` columns and `dy` rows; the
    /// uncovered border repeats the nearest source pixels, as a shaking camera's crop would.
    func copy(_ source: UnsafeBufferPointer<UInt8>, dx: Int, dy: Int) {
        guard let from = source.baseAddress, let to = pixels.baseAddress, source.count >= width * height * 3 else { return }
        let rowBytes = width * 3
        let shift = max(-width + 1, min(width - 1, dx))
        for row in 0..<height {
            let sourceRow = from + min(height - 1, max(0, row - dy)) * rowBytes
            let targetRow = to + row * rowBytes
            if shift >= 0 {
                (targetRow + shift * 3).update(from: sourceRow, count: (width - shift) * 3)
                for column in 0..<shift { (targetRow + column * 3).update(from: sourceRow, count: 3) }
            } else {
                targetRow.update(from: sourceRow - shift * 3, count: (width + shift) * 3)
                for column in (width + shift)..<width { (targetRow + column * 3).update(from: sourceRow + (width - 1) * 3, count: 3) }
            }
        }
    }
}
