import CityWatchDomain

/// One person or vehicle the detector found in a frame.
public struct Detection: Sendable, Hashable {
    /// What it is.
    public var objectClass: ObjectClass
    /// How sure the detector is, 0...1 (objectness times class probability).
    public var score: Float
    /// Where it is, in pixels of the full frame (also when a region was looked at).
    public var box: PixelBox

    public init(objectClass: ObjectClass, score: Float, box: PixelBox) {
        self.objectClass = objectClass
        self.score = score
        self.box = box
    }
}
