/// The synthetic cameras' deterministic random numbers: SplitMix64 over a seed and a stream
/// number, so frame `n`'s noise or shake can be drawn without drawing frames `0..<n` first.
/// Not for anything but test pictures.
public struct SceneRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator for `stream` (e.g. a frame number) of `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ (stream &+ 0x632B_E59B_D9B4_E019) &* 0xBF58_476D_1CE4_E5B9
        _ = next()
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * Double(next() >> 11) / Double(1 << 53)
    }
}
