/// A colour in 8-bit RGB, the pixel format the synthetic renderer draws in.
public struct SceneColor: Codable, Sendable, Hashable {
    /// Red, 0–255.
    public var red: UInt8
    /// Green, 0–255.
    public var green: UInt8
    /// Blue, 0–255.
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A gray of `level` (0 black … 255 white).
    public init(gray level: UInt8) {
        self.init(red: level, green: level, blue: level)
    }

    /// This colour with every channel scaled by `factor` (0…1 darkens), rounded and clamped.
    public func scaled(by factor: Double) -> SceneColor {
        func scale(_ channel: UInt8) -> UInt8 { UInt8(min(255, max(0, (Double(channel) * factor).rounded()))) }
        return SceneColor(red: scale(red), green: scale(green), blue: scale(blue))
    }
}
