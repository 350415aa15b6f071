import CityWatchDetection

/// Scores the rules on a real clip against hand labels: the clip is decoded by ffmpeg to the
/// labels' analysis frame and rate, analysed, and each rule's events are scored by
/// ``RealClipScoring`` (labelled times and boxes, the fall deadline, clip-level truth).
public struct RealClipEvaluator: Sendable {
    /// Decodes the clip.
    public var reader: VideoFrameReader
    /// Seconds a detection may be off a labelled time (labels are good to about a second).
    public var tolerance: Double
    /// Pixels given to the analyzer.
    public var pixelFormat: AnalysisPixelFormat

    /// The person/vehicle model (YOLOX ONNX) of the detector-led profile; nil for motion only.
    public var detectorModel: String?

    /// Prints every frame's tracks and detector looks to standard error (`eval --trace`).
    public var trace = false

    public init(reader: VideoFrameReader = VideoFrameReader(), tolerance: Double = 2, pixelFormat: AnalysisPixelFormat = .yuv420p,
                detectorModel: String? = nil) {
        self.reader = reader
        self.tolerance = tolerance
        self.pixelFormat = pixelFormat
        self.detectorModel = detectorModel
    }

    /// Scores `labels`' rules on the clip at `path`. Throws ``VideoFrameReader/Failure`` when
    /// ffmpeg cannot decode it.
    public func evaluate(video path: String, labels: RealClipLabels) async throws -> ClipEvaluation {
        let rules = labels.rules.map(\.analyticsRule)
        let detector = try detectorModel.map { model in try ObjectDetector(modelPath: model) }
        var session = AnalysisSession(width: labels.analysisWidth, height: labels.analysisHeight, rules: rules, detector: detector)
        if trace { session.observer = FrameTrace.print }
        let frames = reader.frames(of: path, width: labels.analysisWidth, height: labels.analysisHeight,
                                   fps: labels.analysisFPS, format: pixelFormat)
        var index = 0
        for try await frame in frames {
            session.add(frame, time: Double(index) / Double(labels.analysisFPS))
            index += 1
        }
        return RealClipScoring(tolerance: tolerance).evaluation(of: labels, detections: session.detections, frames: session.frames,
                                                               analysisSeconds: session.analysisSeconds)
    }
}
