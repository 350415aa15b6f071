import CCityWatchDetector
import CityWatchDomain
import Synchronization

/// Finds persons and vehicles (COCO person, bicycle, car, motorcycle, bus, truck) in camera
/// frames with YOLOX-nano on OpenCV DNN.
///
/// One call takes 50–60 ms of CPU on one core and blocks the calling thread: run it on a
/// thread of its own (or a dedicated executor), not on the cooperative pool in a tight loop.
///
/// Thread safety: an OpenCV network must not run on two threads at once, so every call goes
/// through a `Mutex` around the owned C handle; concurrent callers of one detector wait their
/// turn. The class itself is checked `Sendable`: its only stored property is that `Mutex`
/// (the one `@unchecked` claim sits on the engine inside it, with its reason). For parallel
/// detection create one detector per worker.
public final class ObjectDetector: Sendable {
    /// The network input's longer side: a frame's or region's longer side is scaled to this.
    public static let inputSize = Int(CW_DETECTOR_INPUT_SIZE)

    /// The network input a region of `width` × `height` pixels is looked at with: its longer
    /// side ``inputSize``, its shorter side at the same scale rounded up to a multiple of 32
    /// (320×240 → 416×320, 320×180 → 416×256). A look costs what this input's area does, so a
    /// wide camera's look costs less than a square one's.
    ///
    /// With `scaleSide` larger than the region's longer side, that many frame pixels become
    /// ``inputSize`` input pixels instead: a 320×120 band of a 320×240 frame at the frame's scale
    /// (`scaleSide` 320) is 416×160, two fifths of the whole frame's cost.
    public static func inputSize(width: Int, height: Int, scaleSide: Int = 0) -> (width: Int, height: Int) {
        var inputWidth: Int32 = 0, inputHeight: Int32 = 0
        cw_detector_input_size(Int32(clamping: width), Int32(clamping: height), Int32(clamping: max(0, scaleSide)), &inputWidth, &inputHeight)
        return (Int(inputWidth), Int(inputHeight))
    }

    private let engine: Mutex<DetectorEngine>

    /// Loads the YOLOX ONNX model at `modelPath`.
    ///
    /// - Parameter threads: how many threads OpenCV may use for inference. OpenCV keeps one
    ///   setting per process, so this applies to every detector and the last one created wins.
    /// - Throws: ``DetectorError/modelMissing(path:)`` when there is no readable file there,
    ///   ``DetectorError/modelUnloadable(path:message:)`` when OpenCV cannot load it.
    public init(modelPath: String, threads: Int = 1) throws(DetectorError) {
        cw_detector_set_threads(Int32(clamping: threads))
        engine = Mutex(try DetectorEngine(modelPath: modelPath))
    }

    /// The persons and vehicles in an 8-bit frame, best first.
    ///
    /// - Parameters:
    ///   - pixels: `height` rows of `width` pixels, `channels` bytes each, rows `rowStride`
    ///     bytes apart.
    ///   - channels: 1 for gray, 3 for RGB.
    ///   - rowStride: bytes from one row to the next; nil means tightly packed
    ///     (`width * channels`).
    ///   - region: the part of the frame to look at, or nil for all of it. It is scaled up or
    ///     down to fill the network's input (``inputSize(width:height:)``), so a small region
    ///     finds small, distant people the
    ///     whole frame would miss. It is clipped to the frame; boxes are in full-frame pixels
    ///     and lie inside the region.
    ///   - scaleSide: frame pixels that become ``inputSize`` input pixels, when more than the
    ///     region's longer side (nil: the region fills the input). The frame's longer side
    ///     looks at a large region at the whole frame's scale: the same people, a smaller input.
    ///   - minimumScore: detections scoring below this are dropped.
    ///   - overlapThreshold: of two boxes of one class overlapping by more than this IoU,
    ///     only the better one is kept.
    /// - Throws: ``DetectorError/badFrame(reason:)`` when the buffer is shorter than the frame
    ///   it describes, the channel count is not 1 or 3, or the region misses the frame;
    ///   ``DetectorError/inferenceFailed(message:)`` when OpenCV fails.
    public func detect(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int,
                       rowStride: Int? = nil, region: PixelBox? = nil, scaleSide: Int? = nil,
                       minimumScore: Float = 0.35, overlapThreshold: Float = 0.45) throws(DetectorError) -> [Detection] {
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw .badFrame(reason: "frame size \(width)×\(height) must be positive and fit in 32 bits")
        }
        guard channels == 1 || channels == 3 else {
            throw .badFrame(reason: "channels must be 1 (gray) or 3 (RGB), got \(channels)")
        }
        let stride = rowStride ?? width * channels
        guard stride >= width * channels else {
            throw .badFrame(reason: "row stride \(stride) is shorter than a row of \(width * channels) bytes")
        }
        let (rows, overflow) = (height - 1).multipliedReportingOverflow(by: stride)
        let needed = overflow ? Int.max : rows + width * channels
        guard pixels.count >= needed else {
            throw .badFrame(reason: "\(pixels.count) bytes given, a \(width)×\(height)×\(channels) frame needs \(needed)")
        }
        let frame = PixelBox(x: 0, y: 0, width: width, height: height)
        guard let looked = (region ?? frame).clipped(toWidth: width, height: height) else {
            throw .badFrame(reason: "region \(region.map { "\($0)" } ?? "") lies outside the \(width)×\(height) frame")
        }
        return try engine.withLock { (engine) throws(DetectorError) -> [Detection] in
            try engine.detect(pixels: pixels, width: Int32(width), height: Int32(height), channels: Int32(channels),
                              rowStride: stride, region: looked, scaleSide: max(0, scaleSide ?? 0), minimumScore: minimumScore,
                              overlapThreshold: overlapThreshold)
        }
    }

    /// The persons and vehicles in an 8-bit frame held in an array; the same as the
    /// `UnsafeBufferPointer` version.
    public func detect(pixels: [UInt8], width: Int, height: Int, channels: Int,
                       rowStride: Int? = nil, region: PixelBox? = nil, scaleSide: Int? = nil,
                       minimumScore: Float = 0.35, overlapThreshold: Float = 0.45) throws(DetectorError) -> [Detection] {
        try pixels.withUnsafeBufferPointer { (buffer) throws(DetectorError) -> [Detection] in
            try detect(pixels: buffer, width: width, height: height, channels: channels, rowStride: rowStride,
                       region: region, scaleSide: scaleSide, minimumScore: minimumScore, overlapThreshold: overlapThreshold)
        }
    }
}
