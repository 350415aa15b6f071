/// The scenes CityWatch ships, by name: ready-made synthetic cameras for demos and for the tests
/// of recording and analytics. Each is laid out relative to the frame size, so `--size` keeps the
/// same picture, and varies speeds, colours and start times with the seed.
public enum BuiltInScene: String, CaseIterable, Sendable {
    /// Three to five people at a time crossing a plain background at different speeds, more
    /// arriving as others leave; one stops for a while.
    case walkers
    /// Cars, with the odd bus or truck, along two lanes in both directions.
    case traffic
    /// People walking over a real campus clip (OpenCV's vtest.avi), whose own pedestrians have
    /// no ground truth.
    case campus
    /// A person walks into a restricted zone, lingers and leaves; another passes outside it.
    case intrusion
    /// The walkers at dusk: the light drops to a third and the sensor gets noisy.
    case night

    /// What a caller may change about a built-in scene.
    public struct Options: Sendable, Equatable {
        /// Frame width in pixels (even).
        public var width: Int
        /// Frame height in pixels (even).
        public var height: Int
        /// Frames per second.
        public var fps: Int
        /// Seconds; nil for the scene's ``BuiltInScene/defaultDuration``.
        public var duration: Double?
        /// Varies the layout, noise and shake.
        public var seed: UInt64
        /// The clip behind video-background scenes (`campus`).
        public var backgroundVideo: String?

        public init(width: Int = 640, height: Int = 360, fps: Int = 10, duration: Double? = nil,
                    seed: UInt64 = 1, backgroundVideo: String? = nil) {
            self.width = width
            self.height = height
            self.fps = fps
            self.duration = duration
            self.seed = seed
            self.backgroundVideo = backgroundVideo
        }
    }

    /// The built-in scene called `name`.
    public static func named(_ name: String) throws(SyntheticSceneError) -> BuiltInScene {
        guard let scene = BuiltInScene(rawValue: name) else { throw .unknownScene(name) }
        return scene
    }

    /// One line on what the scene shows.
    public var summary: String {
        switch self {
        case .walkers: "3–5 people at a time cross a plain background at different speeds; one stops for a while"
        case .traffic: "cars (and the odd bus or truck) along two lanes in both directions"
        case .campus: "people walking over the vtest.avi campus clip (needs ../shared/data/vtest.avi)"
        case .intrusion: "a person enters a restricted zone, lingers and leaves; another passes outside"
        case .night: "walkers at dusk: the light drops to a third and sensor noise rises"
        }
    }

    /// Length in seconds when the caller gives none.
    public var defaultDuration: Double {
        switch self {
        case .walkers, .traffic, .campus, .intrusion: 20
        case .night: 25
        }
    }

    /// The scene, laid out for `options`. Throws ``SyntheticSceneError/backgroundVideoMissing(path:)``
    /// for `campus` without a background clip, and whatever ``SyntheticScene/validate()`` finds.
    public func scene(_ options: Options = Options()) throws(SyntheticSceneError) -> SyntheticScene {
        var scene = SyntheticScene(name: rawValue, width: options.width, height: options.height, fps: options.fps,
                                   duration: options.duration ?? defaultDuration, seed: options.seed)
        var layout = SceneLayout(scene: scene)
        switch self {
        case .walkers:
            scene.background = .plain(gray: 118)
            scene.objects = layout.walkers()
        case .traffic:
            scene.background = .plain(color: SceneColor(red: 92, green: 96, blue: 100))
            scene.objects = layout.traffic()
        case .campus:
            guard let path = options.backgroundVideo else { throw .backgroundVideoMissing(path: "vtest.avi") }
            scene.background = .video(path: path)
            scene.objects = layout.walkers(lanes: 3, sizes: 0.13...0.2)
        case .intrusion:
            scene.background = .plain(gray: 118)
            (scene.objects, scene.zones) = layout.intrusion()
        case .night:
            scene.background = .plain(gray: 150)
            scene.objects = layout.walkers()
            scene.effects = SceneEffects(noise: 10, lighting: .init(start: scene.duration * 0.3, end: scene.duration * 0.45, to: 0.33))
        }
        try scene.validate()
        return scene
    }
}
