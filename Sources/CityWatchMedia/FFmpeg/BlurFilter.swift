import CityWatchDomain
import Foundation

/// The ffmpeg filter that blurs regions of a clip (third parties in footage given to the
/// police): each region is cropped out, box-blurred until faces and plates are unreadable and
/// laid back over the picture, for the whole clip or only between two times. Like
/// ``PrivacyMaskFilter`` it works in fractions of the picture (`iw`, `ih`), rounded outwards to
/// even pixels so that a region covers at least what was marked.
public enum BlurFilter {
    /// One region to blur.
    public struct Region: Sendable, Equatable {
        /// Fractions of the picture, (0, 0) top left.
        public var box: ImageBox
        /// Seconds from the clip's start during which it is blurred; nil for the whole clip.
        public var during: ClosedRange<Double>?

        public init(box: ImageBox, during: ClosedRange<Double>? = nil) {
            self.box = box
            self.during = during
        }

        /// The bounding rectangle of a privacy mask, blurred for the whole clip.
        public init?(mask: ImagePolygon) {
            guard let left = mask.points.map(\.x).min(), let right = mask.points.map(\.x).max(),
                  let top = mask.points.map(\.y).min(), let bottom = mask.points.map(\.y).max() else { return nil }
            let x = max(0, min(1, left)), y = max(0, min(1, top))
            let width = max(0, min(1, right) - x), height = max(0, min(1, bottom) - y)
            guard width > 0, height > 0 else { return nil }
            self.init(box: ImageBox(x: x, y: y, width: width, height: height))
        }
    }

    /// The `-vf` value for `regions`, or nil when there is nothing to blur.
    public static func filter(for regions: [Region]) -> String? {
        let usable = regions.filter { $0.box.width > 0 && $0.box.height > 0 }
        guard !usable.isEmpty else { return nil }
        var graph = "split=\(usable.count + 1)[base]" + usable.indices.map { "[r\($0)]" }.joined()
        for (index, region) in usable.enumerated() {
            let (left, top, right, bottom) = edges(region.box)
            // Even edges, so the crop and the overlay land on the same pixels in 4:2:0 video.
            let x = "2*floor(iw*\(left)/2)", y = "2*floor(ih*\(top)/2)"
            let width = "min(iw\\,2*ceil(iw*\(right)/2))-\(x)", height = "min(ih\\,2*ceil(ih*\(bottom)/2))-\(y)"
            // A radius of a quarter of the region's smaller side, applied three times: no detail survives.
            graph += ";[r\(index)]crop=w=\(width):h=\(height):x=\(x):y=\(y),"
                + "boxblur=luma_radius=min(w\\,h)/4:luma_power=3:chroma_radius=min(cw\\,ch)/4:chroma_power=3[b\(index)]"
        }
        for (index, region) in usable.enumerated() {
            let (left, top, _, _) = edges(region.box)
            let input = index == 0 ? "[base]" : "[o\(index - 1)]"
            let enable = region.during.map { ":enable='between(t,\(seconds($0.lowerBound)),\(seconds($0.upperBound)))'" } ?? ""
            let output = index == usable.count - 1 ? "" : "[o\(index)]"
            graph += ";\(input)[b\(index)]overlay=x=2*floor(W*\(left)/2):y=2*floor(H*\(top)/2)\(enable)\(output)"
        }
        return graph
    }

    /// The box's edges clamped to the picture.
    static func edges(_ box: ImageBox) -> (Double, Double, Double, Double) {
        let left = max(0, min(1, box.x)), top = max(0, min(1, box.y))
        return (left, top, max(left, min(1, box.x + box.width)), max(top, min(1, box.y + box.height)))
    }

    static func seconds(_ value: Double) -> String { String(format: "%.3f", max(0, value)) }
}
