import CityWatchDomain

/// One camera's analytics from frame to frame: motion → blobs → tracks → rules, tamper, the
/// per-second motion grid and the summaries of finished tracks. Pure and synchronous; the
/// application feeds it frames and stores what comes out.
///
/// Budget: ≤ 1.5 ms per 320×180 frame with a dozen tracks (release, one core), most of it the
/// motion detector. The per-frame path allocates only when something is produced (an event,
/// a finished grid or track).
public struct CameraAnalyzer: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var settings: CameraAnalyticsSettings
    /// Motion, tracks and the motion grid.
    public private(set) var motion: MotionAnalyzer
    public private(set) var rules: RuleEngine
    public private(set) var tamper: TamperDetector
    var luma: GrayImage
    /// The previous frame's luma, for the fight rule's frame-to-frame activity.
    var previousLuma: [UInt8] = []
    /// The chroma of the last frame, when frames come as yuv420p (helps find objects whose
    /// brightness matches the background's).
    var chroma: ColorPlanes
    var summaries: [Int: TrackSummaryBuilder] = [:]
    var seen: Set<Int> = []
    /// The rule engine's thresholds, kept for the engines made when the rules change.
    var ruleTuning: RuleEngine.Tuning
    /// When and where the detector looks, in the detector-led profile; nil in the motion-only one.
    public private(set) var detection: DetectionSchedule?

    /// Tracks shorter than this (seconds) leave no summary: flickers, not objects.
    public static let shortestSummarised = 0.6

    /// An analyzer for `width × height` frames with `settings` (rules and privacy masks).
    ///
    /// With `detection`, the analyzer runs the detector-led profile: ``detectionRegion(time:)``
    /// says where the caller should run the person/vehicle detector, what it finds comes back
    /// through ``process(yuv:time:weekday:minute:look:)``, and the rules act on named objects
    /// (see ``RuleEngine/Tuning/requiresClass``). Without it, the cheap motion-only profile.
    public init(width: Int, height: Int, settings: CameraAnalyticsSettings,
                motion: MotionConfiguration = MotionConfiguration(), tracker: TrackerConfiguration = TrackerConfiguration(),
                ruleTuning: RuleEngine.Tuning = RuleEngine.Tuning(), detection: DetectionSchedule? = nil) {
        self.width = width
        self.height = height
        self.settings = settings
        var ruleTuning = ruleTuning
        ruleTuning.requiresClass = detection != nil
        self.ruleTuning = ruleTuning
        self.detection = detection
        self.motion = MotionAnalyzer(width: width, height: height, motion: motion, tracking: tracker, exclusions: settings.privacyMasks)
        self.rules = RuleEngine(rules: settings.rules.filter(\.enabled), width: width, height: height, tuning: ruleTuning)
        self.tamper = TamperDetector(width: width, height: height)
        self.luma = GrayImage(width: width, height: height)
        self.chroma = ColorPlanes(width: (width + 1) / 2, height: (height + 1) / 2)
    }

    /// Takes new rules and masks without losing the background, tracks or tamper reference.
    public mutating func update(settings: CameraAnalyticsSettings) {
        if settings.privacyMasks != self.settings.privacyMasks { motion.exclude(settings.privacyMasks) }
        if settings.rules != self.settings.rules {
            rules = RuleEngine(rules: settings.rules.filter(\.enabled), width: width, height: height, tuning: ruleTuning)
        }
        self.settings = settings
    }

    /// Analyses one frame taken at `time` (seconds since 1970, or any clock that does not go
    /// back). `pixels` is yuv420p (or luma only); `weekday` (1 = Monday) and `minute` after
    /// midnight are the camera's local time, for rule schedules.
    /// `look` is what the detector found where ``detectionRegion(time:)`` asked (this frame's
    /// or a recent one's), if anything.
    public mutating func process(yuv pixels: [UInt8], time: Double, weekday: Int, minute: Int, look: DetectorLook? = nil) -> FrameAnalysis {
        let lumaCount = width * height
        guard pixels.count >= lumaCount else { return FrameAnalysis(motion: .wrongSize(width: pixels.count, height: 1)) }
        let chromaCount = chroma.width * chroma.height
        let hasColor = pixels.count >= lumaCount + 2 * chromaCount
        if hasColor {
            chroma.u.withUnsafeMutableBufferPointer { u in
                chroma.v.withUnsafeMutableBufferPointer { v in
                    pixels.withUnsafeBufferPointer { source in
                        _ = u.baseAddress!.update(from: source.baseAddress! + lumaCount, count: chromaCount)
                        _ = v.baseAddress!.update(from: source.baseAddress! + lumaCount + chromaCount, count: chromaCount)
                    }
                }
            }
        }
        luma.pixels.withUnsafeMutableBufferPointer { target in
            pixels.withUnsafeBufferPointer { source in
                _ = target.baseAddress!.update(from: source.baseAddress!, count: lumaCount)
            }
        }
        let moved = motion.process(luma, color: hasColor ? chroma : nil, time: time, look: look)
        var result = FrameAnalysis(motion: moved.status, tracks: moved.tracks, grid: moved.finishedGrid)
        result.tamper = tamper.process(luma, time: time)
        let tracks = moved.tracks
        if rules.needsActivity, previousLuma.count == lumaCount {
            result.events = luma.pixels.withUnsafeBufferPointer { current in
                previousLuma.withUnsafeBufferPointer { previous in
                    rules.evaluate(tracks: tracks, time: time, weekday: weekday, minute: minute) { [width, height] box in
                        Self.changedShare(in: box, current: current, previous: previous, width: width, height: height)
                    }
                }
            }
        } else {
            result.events = rules.evaluate(tracks: tracks, time: time, weekday: weekday, minute: minute)
        }
        if rules.needsActivity {
            if previousLuma.count != lumaCount { previousLuma = luma.pixels } else {
                previousLuma.withUnsafeMutableBufferPointer { target in
                    luma.pixels.withUnsafeBufferPointer { source in _ = target.baseAddress!.update(from: source.baseAddress!, count: lumaCount) }
                }
            }
        }
        result.merges = rules.merges
        result.finishedTracks = summarise(tracks, time: time, pixels: pixels)
        return result
    }

    /// Switches profile: detector-led with `schedule`, motion-only with nil. Tracks, background
    /// and tamper reference stay; the rules start over (as after an edit), now counting the
    /// objects the new profile counts.
    public mutating func useDetection(_ schedule: DetectionSchedule?) {
        guard (schedule == nil) != (detection == nil) else { return }
        detection = schedule
        ruleTuning.requiresClass = schedule != nil
        rules = RuleEngine(rules: settings.rules.filter(\.enabled), width: width, height: height, tuning: ruleTuning)
    }

    /// True in the detector-led profile.
    public var isDetectorLed: Bool { detection != nil }

    /// Where the detector should look in the frame of `time` (analysis-frame pixels), or nil
    /// when no look is due or the profile is motion-only. Asked once per frame, before
    /// ``process(yuv:time:weekday:minute:look:)``; a region returned counts as looked at.
    public mutating func detectionRegion(time: Double) -> PixelBox? {
        guard detection != nil else { return nil }
        return detection!.region(time: time, tracks: motion.tracker.objects, blobs: motion.detector.blobs, width: width, height: height,
                                 learning: rules.needsActivity && motion.detector.isLearning)
    }

    /// Gives track `id` the class a detector found.
    public mutating func classify(trackID: Int, as objectClass: ObjectClass, confidence: Double) {
        motion.classify(trackID: trackID, as: objectClass, confidence: confidence)
    }

    /// The tracker, for the tracks that still need a class.
    public var tracker: ObjectTracker { motion.tracker }

    /// The end of the stream: the summaries of every track still open and the motion grid of
    /// the second in progress (both would be lost with the analyzer).
    public mutating func finishStream() -> FrameAnalysis {
        FrameAnalysis(motion: .analysed, grid: motion.finish(), finishedTracks: finishAll())
    }

    /// Summaries of every track still open, as if the stream ended now.
    public mutating func finishAll() -> [TrackSummaryBuilder.Summary] {
        defer { summaries = [:]; seen = [] }
        return summaries.values.map { $0.finish() }.filter { $0.end - $0.start >= Self.shortestSummarised }
    }

    private mutating func summarise(_ tracks: [TrackedObject], time: Double, pixels: [UInt8]) -> [TrackSummaryBuilder.Summary] {
        let hasColor = pixels.count >= width * height + 2 * chroma.width * chroma.height
        // One sampler per frame, not one per track.
        let sampler: ((PixelBox) -> (y: Double, u: Double, v: Double)?)? = hasColor ? { [width, height] box in
            Self.meanColor(in: box, pixels: pixels, width: width, height: height)
        } : nil
        var now = Set<Int>()
        for track in tracks where track.isConfirmed {
            now.insert(track.id)
            if summaries[track.id] == nil {
                summaries[track.id] = TrackSummaryBuilder(object: track, time: time, width: width, height: height)
            }
            summaries[track.id]!.add(track, time: time, sampleColor: sampler)
        }
        var finished: [TrackSummaryBuilder.Summary] = []
        for id in seen where !now.contains(id) {
            if let builder = summaries.removeValue(forKey: id) {
                let summary = builder.finish()
                if summary.end - summary.start >= Self.shortestSummarised { finished.append(summary) }
            }
        }
        seen = now
        return finished
    }

    /// The share of `box`'s pixels (every second row and column) whose luma changed by more than
    /// 20 levels between `previous` and `current`.
    static func changedShare(in box: PixelBox, current: UnsafeBufferPointer<UInt8>, previous: UnsafeBufferPointer<UInt8>,
                             width: Int, height: Int) -> Double {
        guard let inside = box.clipped(toWidth: width, height: height) else { return 0 }
        var changed = 0, counted = 0
        var row = inside.y
        while row < inside.maxY {
            var column = inside.x
            while column < inside.maxX {
                let index = row * width + column
                if abs(Int(current[index]) - Int(previous[index])) > 20 { changed += 1 }
                counted += 1
                column += 2
            }
            row += 2
        }
        return counted == 0 ? 0 : Double(changed) / Double(counted)
    }

    /// Mean luma and chroma over the middle half of `box` (the object, less its background).
    static func meanColor(in box: PixelBox, pixels: [UInt8], width: Int, height: Int) -> (y: Double, u: Double, v: Double)? {
        let left = max(0, box.x + box.width / 4), right = min(width, box.maxX - box.width / 4)
        let top = max(0, box.y + box.height / 4), bottom = min(height, box.maxY - box.height / 4)
        guard right > left, bottom > top else { return nil }
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        let uBase = width * height, vBase = uBase + chromaWidth * chromaHeight
        var y = 0, u = 0, v = 0, count = 0
        var row = top
        while row < bottom {
            var column = left
            while column < right {
                y += Int(pixels[row * width + column])
                let chroma = (row / 2) * chromaWidth + column / 2
                u += Int(pixels[uBase + chroma])
                v += Int(pixels[vBase + chroma])
                count += 1
                column += 1
            }
            row += 1
        }
        guard count > 0 else { return nil }
        return (Double(y) / Double(count), Double(u) / Double(count), Double(v) / Double(count))
    }
}
