/// Whole-frame effects of a synthetic camera: what makes analytics hard in the field.
public struct SceneEffects: Codable, Sendable, Hashable {
    /// Sensor noise: every channel of every pixel gets an independent uniform offset in
    /// `-noise ... noise` levels (0 = none), different each frame.
    public var noise: Int
    /// A change of scene brightness over an interval (dusk, a street light failing), if any.
    public var lighting: LightingChange?
    /// Camera shake: the whole picture moves by up to `shake` pixels on each axis, a new random
    /// offset each frame (0 = a steady camera). Ground-truth boxes move with it.
    public var shake: Int

    public init(noise: Int = 0, lighting: LightingChange? = nil, shake: Int = 0) {
        self.noise = noise
        self.lighting = lighting
        self.shake = shake
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(noise: try container.decodeIfPresent(Int.self, forKey: .noise) ?? 0,
                  lighting: try container.decodeIfPresent(LightingChange.self, forKey: .lighting),
                  shake: try container.decodeIfPresent(Int.self, forKey: .shake) ?? 0)
    }

    /// A brightness ramp: every pixel is multiplied by a factor that goes linearly from `from`
    /// at `start` to `to` at `end` seconds, and stays at `to` afterwards.
    public struct LightingChange: Codable, Sendable, Hashable {
        /// Seconds from the start of the scene when the ramp begins.
        public var start: Double
        /// Seconds from the start of the scene when the ramp ends.
        public var end: Double
        /// Brightness factor before the ramp (1 = as drawn).
        public var from: Double
        /// Brightness factor after the ramp (0.3 = a much darker scene).
        public var to: Double

        public init(start: Double, end: Double, from: Double = 1, to: Double) {
            self.start = start
            self.end = end
            self.from = from
            self.to = to
        }

        /// The brightness factor at `time`.
        public func factor(at time: Double) -> Double {
            if time <= start { return from }
            if time >= end || end <= start { return to }
            return from + (to - from) * (time - start) / (end - start)
        }
    }
}
