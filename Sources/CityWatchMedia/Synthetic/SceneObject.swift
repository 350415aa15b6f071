/// One scripted moving thing in a synthetic scene: a person, car, bag… with a path through the
/// frame, and optionally posture changes (a person who falls).
///
/// Positions are the object's *ground point*: the middle of the bottom edge of its box, where it
/// touches the ground — the point a tracker follows and a zone rule tests. A box of `width` ×
/// `height` at ground point (x, y) covers columns `x - width/2 ..< x + width/2` and rows
/// `y - height ..< y` (rounded to whole pixels).
public struct SceneObject: Codable, Sendable, Hashable {
    /// The track id the ground truth reports; unique in the scene.
    public var id: Int
    /// What it is; decides the drawn shape.
    public var objectClass: SceneObjectClass
    /// Box width in pixels before any posture change.
    public var width: Int
    /// Box height in pixels before any posture change.
    public var height: Int
    /// Fill colour.
    public var color: SceneColor
    /// Where the ground point is over time, sorted by time; linear between keyframes, held
    /// before the first and after the last.
    public var path: [Keyframe]
    /// Seconds from the start when the object appears (nil: from the start).
    public var appear: Double?
    /// Seconds from the start when the object disappears (nil: never).
    public var disappear: Double?
    /// Size changes over time, sorted by time; each holds until the next.
    public var postures: [Posture]

    /// The ground point at one moment of the path.
    public struct Keyframe: Codable, Sendable, Hashable {
        /// Seconds from the start of the scene.
        public var time: Double
        /// Column of the ground point (may lie outside the frame: the object is off screen).
        public var x: Double
        /// Row of the ground point.
        public var y: Double

        public init(time: Double, x: Double, y: Double) {
            self.time = time
            self.x = x
            self.y = y
        }
    }

    /// A change of the object's box from `time` on, e.g. a person falling becomes wide and low.
    public struct Posture: Codable, Sendable, Hashable {
        /// Seconds from the start of the scene when the new size applies.
        public var time: Double
        /// New box width in pixels.
        public var width: Int
        /// New box height in pixels.
        public var height: Int
        /// The ground-truth event this change is (``SyntheticEventType/fall``), if any.
        public var event: SyntheticEventType?

        public init(time: Double, width: Int, height: Int, event: SyntheticEventType? = nil) {
            self.time = time
            self.width = width
            self.height = height
            self.event = event
        }

        /// A standing person of `width` × `height` falls at `time`: the box becomes as wide as the
        /// person was tall and a third of the width high, and the ground truth records a fall.
        public static func fall(at time: Double, width: Int, height: Int) -> Posture {
            Posture(time: time, width: height, height: max(4, width * 2 / 3 + 2), event: .fall)
        }
    }

    public init(id: Int, objectClass: SceneObjectClass, width: Int, height: Int, color: SceneColor,
                path: [Keyframe], appear: Double? = nil, disappear: Double? = nil, postures: [Posture] = []) {
        self.id = id
        self.objectClass = objectClass
        self.width = width
        self.height = height
        self.color = color
        self.path = path
        self.appear = appear
        self.disappear = disappear
        self.postures = postures
    }

    enum CodingKeys: String, CodingKey {
        case id, objectClass = "class", width, height, color, path, appear, disappear, postures
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try container.decode(Int.self, forKey: .id),
                  objectClass: try container.decode(SceneObjectClass.self, forKey: .objectClass),
                  width: try container.decode(Int.self, forKey: .width),
                  height: try container.decode(Int.self, forKey: .height),
                  color: try container.decode(SceneColor.self, forKey: .color),
                  path: try container.decode([Keyframe].self, forKey: .path),
                  appear: try container.decodeIfPresent(Double.self, forKey: .appear),
                  disappear: try container.decodeIfPresent(Double.self, forKey: .disappear),
                  postures: try container.decodeIfPresent([Posture].self, forKey: .postures) ?? [])
    }
}
