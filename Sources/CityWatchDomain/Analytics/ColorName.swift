/// Names the colour of a patch from its mean luma and chroma (BT.601, 128 = no chroma), in the
/// few words an investigator searches by.
public enum ColorName: String, Codable, Sendable, Hashable, CaseIterable {
    case black, white, gray, red, orange, yellow, green, blue, purple

    /// The colour of a patch whose mean luma is `y` and mean chroma `u`, `v` (0…255 each).
    public static func of(y: Double, u: Double, v: Double) -> ColorName {
        let cb = u - 128, cr = v - 128
        let saturation = (cb * cb + cr * cr).squareRoot()
        if saturation < 14 {
            if y < 60 { return .black }
            if y > 175 { return .white }
            return .gray
        }
        // Back to RGB to read a hue; chroma alone misjudges dark and bright patches.
        let red = y + 1.402 * cr, green = y - 0.344 * cb - 0.714 * cr, blue = y + 1.772 * cb
        let top = max(red, green, blue), bottom = min(red, green, blue)
        guard top - bottom > 1 else { return y < 60 ? .black : (y > 175 ? .white : .gray) }
        var hue: Double
        if top == red { hue = 60 * (green - blue) / (top - bottom) } else if top == green { hue = 60 * (2 + (blue - red) / (top - bottom)) } else {
            hue = 60 * (4 + (red - green) / (top - bottom))
        }
        if hue < 0 { hue += 360 }
        switch hue {
        case ..<18, 330...: return .red
        case ..<42: return .orange
        case ..<70: return .yellow
        case ..<165: return .green
        case ..<255: return .blue
        default: return .purple
        }
    }
}
