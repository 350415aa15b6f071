import CityWatchDomain

/// A connected region of foreground pixels in one frame.
public struct Blob: Sendable, Hashable {
    /// Its bounding box in frame pixels.
    public var box: PixelBox
    /// Foreground pixels in it.
    public var area: Int
    /// Mean column and row of its pixels.
    public var centroidX: Double
    public var centroidY: Double

    public init(box: PixelBox, area: Int, centroidX: Double, centroidY: Double) {
        self.box = box
        self.area = area
        self.centroidX = centroidX
        self.centroidY = centroidY
    }
}
