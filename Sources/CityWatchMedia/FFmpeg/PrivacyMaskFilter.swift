import CityWatchDomain

/// The ffmpeg filter that blacks out privacy masks: a filled black box over each mask's
/// bounding rectangle, in fractions of the picture (`iw`, `ih`), so it fits any resolution.
/// A rectangle covers at least the drawn polygon: more is hidden, never less.
public enum PrivacyMaskFilter {
    /// The `-vf` value for `masks`, or nil when there is nothing to hide.
    public static func filter(for masks: [ImagePolygon]) -> String? {
        let boxes = masks.compactMap { mask -> String? in
            guard let left = mask.points.map(\.x).min(), let right = mask.points.map(\.x).max(),
                  let top = mask.points.map(\.y).min(), let bottom = mask.points.map(\.y).max() else { return nil }
            let x = max(0, min(1, left)), y = max(0, min(1, top))
            let width = max(0, min(1, right) - x), height = max(0, min(1, bottom) - y)
            guard width > 0, height > 0 else { return nil }
            // Rounded outwards to whole pixels: floor the corner, ceil the size.
            return "drawbox=x=floor(iw*\(x)):y=floor(ih*\(y)):w=ceil(iw*\(width))+1:h=ceil(ih*\(height))+1:color=black:t=fill"
        }
        return boxes.isEmpty ? nil : boxes.joined(separator: ",")
    }
}
