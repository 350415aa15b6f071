/// A synthetic camera's script: what it sees, frame by frame, and therefore what analytics on it
/// should find. Pure data, `Codable` so a scene can live in a JSON file and travel inside the
/// ground truth of the clip made from it; the same scene and seed always give the same pixels.
///
/// Coordinates are pixels of the `width` × `height` frame, origin at the top left. Frame `n`
/// shows the scene at `n / fps` seconds.
public struct SyntheticScene: Codable, Sendable, Hashable {
    /// A short name; clips made from the scene are called after it by default.
    public var name: String
    /// Frame width in pixels (even: H.264 in 4:2:0 needs it).
    public var width: Int
    /// Frame height in pixels (even).
    public var height: Int
    /// Frames per second.
    public var fps: Int
    /// Length in seconds.
    public var duration: Double
    /// Seed of the per-frame randomness (sensor noise, camera shake).
    public var seed: UInt64
    /// What is behind the objects.
    public var background: SceneBackground
    /// The moving things, drawn in this order (later ones in front).
    public var objects: [SceneObject]
    /// Named areas whose entries and exits the ground truth records.
    public var zones: [SceneZone]
    /// Events scripted directly, in addition to those derived from zones and postures.
    public var events: [SceneEvent]
    /// Noise, lighting change and shake.
    public var effects: SceneEffects

    public init(name: String, width: Int = 640, height: Int = 360, fps: Int = 10, duration: Double,
                seed: UInt64 = 1, background: SceneBackground = .plain(gray: 110), objects: [SceneObject] = [],
                zones: [SceneZone] = [], events: [SceneEvent] = [], effects: SceneEffects = SceneEffects()) {
        self.name = name
        self.width = width
        self.height = height
        self.fps = fps
        self.duration = duration
        self.seed = seed
        self.background = background
        self.objects = objects
        self.zones = zones
        self.events = events
        self.effects = effects
    }

    /// Decodes a scene; everything but `name` and `duration` may be left out and takes the
    /// defaults of ``init(name:width:height:fps:duration:seed:background:objects:zones:events:effects:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SyntheticScene(name: "", duration: 1)
        self.init(name: try c.decode(String.self, forKey: .name),
                  width: try c.decodeIfPresent(Int.self, forKey: .width) ?? defaults.width,
                  height: try c.decodeIfPresent(Int.self, forKey: .height) ?? defaults.height,
                  fps: try c.decodeIfPresent(Int.self, forKey: .fps) ?? defaults.fps,
                  duration: try c.decode(Double.self, forKey: .duration),
                  seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed,
                  background: try c.decodeIfPresent(SceneBackground.self, forKey: .background) ?? defaults.background,
                  objects: try c.decodeIfPresent([SceneObject].self, forKey: .objects) ?? [],
                  zones: try c.decodeIfPresent([SceneZone].self, forKey: .zones) ?? [],
                  events: try c.decodeIfPresent([SceneEvent].self, forKey: .events) ?? [],
                  effects: try c.decodeIfPresent(SceneEffects.self, forKey: .effects) ?? SceneEffects())
    }

    /// Frames in the clip: `duration × fps`, rounded.
    public var frameCount: Int { Int((duration * Double(fps)).rounded()) }

    /// Bytes of one RGB24 frame.
    public var frameByteCount: Int { width * height * 3 }

    /// Seconds from the start at which frame `index` is shown.
    public func time(ofFrame index: Int) -> Double { Double(index) / Double(fps) }

    /// The first frame shown at or after `time` seconds.
    public func frame(atOrAfter time: Double) -> Int { max(0, Int((time * Double(fps) - 1e-9).rounded(.up))) }

    /// Checks what the renderer and encoder rely on; throws the first problem found.
    public func validate() throws(SyntheticSceneError) {
        guard width >= 16, height >= 16, width <= 7680, height <= 4320, width % 2 == 0, height % 2 == 0 else {
            throw .badFrameSize(width: width, height: height)
        }
        guard fps >= 1, fps <= 120 else { throw .badFrameRate(fps) }
        guard duration.isFinite, duration > 0, frameCount >= 1 else { throw .badDuration(duration) }
        guard effects.noise >= 0, effects.noise <= 255, effects.shake >= 0, effects.shake < min(width, height) / 4 else {
            throw .badEffect("noise must be 0…255 and shake under a quarter of the frame")
        }
        var seen = Set<Int>()
        for object in objects {
            guard seen.insert(object.id).inserted else { throw .duplicateObjectID(object.id) }
            guard !object.path.isEmpty else { throw .emptyPath(objectID: object.id) }
            guard zip(object.path, object.path.dropFirst()).allSatisfy({ $0.time <= $1.time }),
                  zip(object.postures, object.postures.dropFirst()).allSatisfy({ $0.time <= $1.time }) else {
                throw .unsortedTimes(objectID: object.id)
            }
            let sizes = [(object.width, object.height)] + object.postures.map { ($0.width, $0.height) }
            guard sizes.allSatisfy({ $0.0 >= 2 && $0.1 >= 2 }) else { throw .badObjectSize(objectID: object.id) }
        }
        for event in events where !seen.contains(event.trackId) { throw .unknownTrack(event.trackId) }
    }

    /// The camera-shake offset of frame `index`, the same every time for the same seed.
    public func shakeOffset(frame index: Int) -> (dx: Int, dy: Int) {
        guard effects.shake > 0 else { return (0, 0) }
        var random = SceneRandom(seed: seed, stream: 0x5348_414B_4500_0000 &+ UInt64(truncatingIfNeeded: index))
        let span = UInt64(2 * effects.shake + 1)
        return (Int(random.next() % span) - effects.shake, Int(random.next() % span) - effects.shake)
    }

    /// The brightness factor at `time` (1 when there is no lighting change).
    public func brightness(at time: Double) -> Double { effects.lighting?.factor(at: time) ?? 1 }
}
