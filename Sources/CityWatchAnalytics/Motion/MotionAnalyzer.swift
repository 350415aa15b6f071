import CityWatchDomain

/// One camera's motion analytics in one value: a ``MotionDetector``, an ``ObjectTracker`` and a
/// ``MotionGridAccumulator`` fed frame by frame. A frame of a new size starts all three over at
/// that size (ids keep growing); black and frozen frames leave the tracks as they were.
///
/// Budget: the detector's, tracker's and accumulator's together, ≤ 0.2 ms per 320×180 luma
/// frame, ≤ 0.25 ms with chroma (release, one core; measured ~0.10 / ~0.15 ms on the walkers
/// scene, ~0.42 / ~0.64 ms before the detector worked on packed masks); nothing allocated per
/// frame except the motion grid once a second.
public struct MotionAnalyzer: Sendable {
    /// Motion settings, kept for a restart at a new size.
    public let motion: MotionConfiguration
    /// Tracking settings.
    public let tracking: TrackerConfiguration
    /// Privacy masks, rasterised again at a new size.
    public private(set) var exclusions: [ImagePolygon]
    /// The motion detector.
    public private(set) var detector: MotionDetector
    /// The tracker.
    public private(set) var tracker: ObjectTracker
    /// The per-second motion grids.
    public private(set) var grids: MotionGridAccumulator

    /// An analyser for `width` × `height` frames.
    public init(width: Int, height: Int, motion: MotionConfiguration = MotionConfiguration(),
                tracking: TrackerConfiguration = TrackerConfiguration(), exclusions: [ImagePolygon] = [],
                gridColumns: Int = 16, gridRows: Int = 9) {
        self.motion = motion
        self.tracking = tracking
        self.exclusions = exclusions
        detector = MotionDetector(width: width, height: height, configuration: motion, exclusions: exclusions)
        tracker = ObjectTracker(width: width, height: height, configuration: tracking)
        grids = MotionGridAccumulator(width: width, height: height, columns: gridColumns, rows: gridRows)
    }

    /// Replaces the privacy masks.
    public mutating func exclude(_ polygons: [ImagePolygon]) {
        exclusions = polygons
        detector.exclude(polygons)
    }

    /// Analyses the frame taken at `time` seconds, with its half-resolution chroma if the
    /// pipeline has it (see ``MotionDetector/process(_:color:time:)``).
    ///
    /// `look`, when given, is what the person/vehicle detector found (in this frame or one a
    /// little earlier): folded into the tracks after the blobs (see
    /// ``ObjectTracker/apply(_:)``), also while the background is still being learnt.
    public mutating func process(_ frame: GrayImage, color: ColorPlanes? = nil, time: Double, look: DetectorLook? = nil) -> MotionAnalysis {
        var resized = false
        if frame.width != detector.width || frame.height != detector.height {
            detector = MotionDetector(width: frame.width, height: frame.height, configuration: motion, exclusions: exclusions)
            tracker.reset(width: frame.width, height: frame.height)
            grids = MotionGridAccumulator(width: frame.width, height: frame.height, columns: grids.columns, rows: grids.rows)
            resized = true
        }
        let status = detector.process(frame, color: color, time: time)
        var finished: MotionGrid?
        if case .analysed = status {
            tracker.update(blobs: detector.blobs, time: time)
            if let look { tracker.apply(look) }
            finished = detector.foreground.withUnsafeBufferPointer { grids.add($0, time: time) }
        } else if case .learning = status, let look {
            tracker.update(blobs: [], time: time)
            tracker.apply(look)
        }
        return MotionAnalysis(status: status, blobs: detector.blobs, tracks: tracker.objects,
                              finishedGrid: finished, resized: resized)
    }

    /// Names what track `trackID` is (see ``ObjectTracker/classify(trackID:as:confidence:)``).
    public mutating func classify(trackID: Int, as objectClass: ObjectClass, confidence: Double) {
        tracker.classify(trackID: trackID, as: objectClass, confidence: confidence)
    }

    /// Hands back the motion grid of the second in progress, at the end of a stream.
    public mutating func finish() -> MotionGrid? {
        grids.finish()
    }
}
