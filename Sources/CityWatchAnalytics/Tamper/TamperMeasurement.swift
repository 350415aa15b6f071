/// The figures the tamper detector measured on a frame, against its reference: what a change is
/// decided on, and what the maintenance log shows next to it.
public struct TamperMeasurement: Sendable, Hashable {
    /// Mean luma, 0…255.
    public var meanLuma: Double
    /// Standard deviation of luma: near 0 for a covered lens.
    public var contrast: Double
    /// Sharpness (gradient energy over luma variance, so lighting cancels out) as a fraction of
    /// the reference's; nil before a reference is learnt.
    public var sharpnessRatio: Double?
    /// Best match of the view against the reference: the picture's content sits `shiftX`
    /// pixels right and `shiftY` down of where it was.
    public var shiftX: Int
    public var shiftY: Int
    /// Correlation of the edge profiles at the best shift (1 = the same view, ≤ 0.4 another
    /// one); nil before a reference is learnt.
    public var similarity: Double?
    /// Seconds the picture has not changed at all.
    public var unchangedSeconds: Double
    /// Correlation of the edge profiles with those of the last second: near 1 for a steady
    /// view, low while the picture keeps changing.
    public var steadiness: Double

    public init(meanLuma: Double = 0, contrast: Double = 0, sharpnessRatio: Double? = nil, shiftX: Int = 0, shiftY: Int = 0,
                similarity: Double? = nil, unchangedSeconds: Double = 0, steadiness: Double = 0) {
        self.meanLuma = meanLuma
        self.contrast = contrast
        self.sharpnessRatio = sharpnessRatio
        self.shiftX = shiftX
        self.shiftY = shiftY
        self.similarity = similarity
        self.unchangedSeconds = unchangedSeconds
        self.steadiness = steadiness
    }

    /// Length of the shift in pixels.
    public var shiftDistance: Double {
        Double(shiftX * shiftX + shiftY * shiftY).squareRoot()
    }
}
