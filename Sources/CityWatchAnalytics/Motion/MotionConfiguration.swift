/// How a camera's ``MotionDetector`` tells moving things from the scene: one value, with
/// defaults tuned for 320×180 luma at 5–15 frames per second. Distances and areas are in pixels
/// of the analysis frame, times in seconds of the analysis clock.
public struct MotionConfiguration: Sendable, Hashable, Codable {
    /// Frames that only teach the background before anything is reported (the first one
    /// seeds it). Objects present during the whole warm-up become background until they leave
    /// and `absorbSeconds` pass.
    public var warmUpFrames: Int
    /// Time constant of the background's running mean and variance where nothing moves: slow
    /// local changes (a shadow creeping, a wet road) are followed at this pace. Global light
    /// changes need no learning: they are compensated frame by frame.
    public var backgroundSeconds: Double
    /// A pixel is foreground when it differs from the (light-compensated) background by more
    /// than this many of its own standard deviations, learned from its noise.
    public var sensitivity: Double
    /// …and by at least this many luma levels, whatever its noise (a clean synthetic or very
    /// flat picture has almost none).
    public var minimumDifference: Double
    /// Standard deviation assumed for every pixel before its noise is learned.
    public var initialDeviation: Double
    /// Cap on a pixel's learned standard deviation, so a flickering pixel still sees a person.
    public var maximumDeviation: Double
    /// Camera shake tolerated, in pixels: a pixel that matches the background anywhere within
    /// this distance is not foreground (0 turns the check off).
    public var shakeRadius: Int
    /// Radius of the morphological opening that removes specks (0 = none).
    public var openRadius: Int
    /// Radius of the closing that fills small holes in objects (0 = none).
    public var closeRadius: Int
    /// Blobs smaller than this many pixels are dropped.
    public var minimumBlobArea: Int
    /// Blobs reported at most per frame (the largest first are not chosen: the first found,
    /// top to bottom); more means the picture is mostly noise.
    public var maximumBlobs: Int
    /// Seconds an object that stopped (a left bag, a parked car) stays foreground before the
    /// background takes it in.
    public var absorbSeconds: Double
    /// Seconds after which foreground that has been there without a break since the warm-up
    /// ended is taken in: it is the ghost of something that moved during the warm-up, or an
    /// object that was already there and never moved.
    public var ghostSeconds: Double
    /// A frame with almost no pixel brighter than this is a black frame (lens covered, a
    /// decoder failure) and leaves the background alone.
    public var blackLevel: UInt8
    /// A picture that has not changed by a single byte for this long is frozen: the camera or
    /// its encoder stalled, and the background stops learning from it.
    public var frozenSeconds: Double
    /// Global brightness changes (frame ÷ background) compensated; beyond them the scene is
    /// taken as new (lights switched on or off, camera moved) and learned again.
    public var lightingRange: ClosedRange<Double>
    /// When chroma planes come with the frames: a pixel whose colour (U, V) is further than this
    /// from the background's is foreground too, even at the same brightness (a green coat on
    /// gray pavement). Ignored for luma-only frames.
    public var chromaDifference: Double

    public init(warmUpFrames: Int = 10, backgroundSeconds: Double = 8, sensitivity: Double = 3.5,
                minimumDifference: Double = 9, initialDeviation: Double = 6, maximumDeviation: Double = 30,
                shakeRadius: Int = 1, openRadius: Int = 1, closeRadius: Int = 1, minimumBlobArea: Int = 30,
                maximumBlobs: Int = 128, absorbSeconds: Double = 120, ghostSeconds: Double = 3, blackLevel: UInt8 = 24,
                frozenSeconds: Double = 5, lightingRange: ClosedRange<Double> = 0.25...4, chromaDifference: Double = 14) {
        self.warmUpFrames = warmUpFrames
        self.backgroundSeconds = backgroundSeconds
        self.sensitivity = sensitivity
        self.minimumDifference = minimumDifference
        self.initialDeviation = initialDeviation
        self.maximumDeviation = maximumDeviation
        self.shakeRadius = shakeRadius
        self.openRadius = openRadius
        self.closeRadius = closeRadius
        self.minimumBlobArea = minimumBlobArea
        self.maximumBlobs = maximumBlobs
        self.absorbSeconds = absorbSeconds
        self.ghostSeconds = ghostSeconds
        self.blackLevel = blackLevel
        self.frozenSeconds = frozenSeconds
        self.lightingRange = lightingRange
        self.chromaDifference = chromaDifference
    }
}
