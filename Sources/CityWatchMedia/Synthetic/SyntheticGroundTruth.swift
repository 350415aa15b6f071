import CityWatchDomain

/// What a synthetic clip shows, frame by frame: the track id, class and box of every visible
/// object, and the events the scene scripts or implies. Written as `NAME.truth.json` beside
/// `NAME.mp4`, with the scene embedded so the clip can be made again.
///
/// Boxes are the exact bounding boxes of the drawn silhouettes, camera shake included, clipped
/// to the frame. An object hidden behind a later one is still listed (occlusion is not modelled);
/// an object entirely outside the frame, or not yet appeared, is not.
public struct SyntheticGroundTruth: Codable, Sendable, Equatable {
    /// Version of this layout; bumped when a field changes meaning.
    public var format: Int
    /// File name of the clip it describes, if written beside one.
    public var clip: String?
    /// The scene the clip was made from.
    public var scene: SyntheticScene
    /// One entry per frame of the clip, in order.
    public var frames: [Frame]
    /// Events in frame order.
    public var events: [Event]

    /// The objects visible in one frame.
    public struct Frame: Codable, Sendable, Equatable {
        /// Frame number, from 0.
        public var index: Int
        /// Seconds from the start of the clip.
        public var time: Double
        /// Visible objects, in drawing order (later ones in front).
        public var objects: [VisibleObject]

        public init(index: Int, time: Double, objects: [VisibleObject]) {
            self.index = index
            self.time = time
            self.objects = objects
        }
    }

    /// One object in one frame.
    public struct VisibleObject: Codable, Sendable, Equatable {
        /// The object's ``SceneObject/id``.
        public var trackId: Int
        /// What it is.
        public var objectClass: SceneObjectClass
        /// Its box in the frame, clipped to the frame.
        public var box: PixelBox

        public init(trackId: Int, objectClass: SceneObjectClass, box: PixelBox) {
            self.trackId = trackId
            self.objectClass = objectClass
            self.box = box
        }

        enum CodingKeys: String, CodingKey { case trackId, objectClass = "class", box }
    }

    /// Something that happens at a frame: derived (zone entries and exits, posture events) or
    /// scripted (``SyntheticScene/events``).
    public struct Event: Codable, Sendable, Equatable {
        /// What happened.
        public var type: SyntheticEventType
        /// The first frame showing it.
        public var frame: Int
        /// That frame's time in seconds.
        public var time: Double
        /// The object concerned.
        public var trackId: Int
        /// The zone concerned, for zone events.
        public var zone: String?

        public init(type: SyntheticEventType, frame: Int, time: Double, trackId: Int, zone: String? = nil) {
            self.type = type
            self.frame = frame
            self.time = time
            self.trackId = trackId
            self.zone = zone
        }
    }

    /// Works out the ground truth of `scene` (pure, no rendering). `clip` is the file name to
    /// record as the clip it belongs to.
    public init(scene: SyntheticScene, clip: String? = nil) {
        self.format = 1
        self.clip = clip
        self.scene = scene
        self.frames = (0..<scene.frameCount).map { index in
            let time = scene.time(ofFrame: index)
            let shake = scene.shakeOffset(frame: index)
            let objects = scene.objects.compactMap { object -> VisibleObject? in
                guard let box = object.box(at: time)?.offsetBy(dx: shake.dx, dy: shake.dy)
                    .clipped(toWidth: scene.width, height: scene.height) else { return nil }
                return VisibleObject(trackId: object.id, objectClass: object.objectClass, box: box)
            }
            return Frame(index: index, time: time, objects: objects)
        }
        self.events = Self.events(of: scene)
    }

    /// The box of track `trackId` in frame `index`, or nil when it is not visible there.
    public func box(ofTrack trackId: Int, inFrame index: Int) -> PixelBox? {
        guard frames.indices.contains(index) else { return nil }
        return frames[index].objects.first { $0.trackId == trackId }?.box
    }

    /// The events of `type`, in frame order.
    public func events(ofType type: SyntheticEventType) -> [Event] {
        events.filter { $0.type == type }
    }
}
