import CCityWatchDetector
import CityWatchDomain

/// The C detector handle and the buffers every call reuses (result slots, error message).
///
/// Non-copyable so exactly one owner frees the handle; it lives inside ``ObjectDetector``'s
/// mutex, which is what keeps two threads from calling into one OpenCV network at once.
///
/// `@unchecked Sendable`: the handle and buffers are raw pointers the compiler cannot reason
/// about. It is safe because the value is non-copyable, only ever reached through that mutex
/// (so one thread at a time), and a call keeps nothing of the caller's frame after it returns.
struct DetectorEngine: ~Copyable, @unchecked Sendable {
    /// Most detections one call reports; YOLOX at 416 has 3549 anchors, NMS leaves far fewer.
    static let resultCapacity = 256
    static let messageCapacity = 1024

    private let handle: OpaquePointer
    private let results: UnsafeMutableBufferPointer<cw_detection>
    private let message: UnsafeMutableBufferPointer<CChar>

    /// Loads the model at `modelPath`.
    init(modelPath: String) throws(DetectorError) {
        let message = UnsafeMutableBufferPointer<CChar>.allocate(capacity: Self.messageCapacity)
        message.initialize(repeating: 0)
        var status = CW_STATUS_OK
        guard let handle = cw_detector_create(modelPath, &status, message.baseAddress, message.count) else {
            let reason = Self.text(of: message)
            message.deallocate()
            if status == CW_STATUS_MODEL_MISSING { throw .modelMissing(path: modelPath) }
            throw .modelUnloadable(path: modelPath, message: reason)
        }
        self.handle = handle
        self.message = message
        self.results = .allocate(capacity: Self.resultCapacity)
        self.results.initialize(repeating: cw_detection())
    }

    deinit {
        cw_detector_destroy(handle)
        results.deallocate()
        message.deallocate()
    }

    /// Runs the network on `region` of a frame already checked by the caller.
    func detect(pixels: UnsafeBufferPointer<UInt8>, width: Int32, height: Int32, channels: Int32, rowStride: Int,
                region: PixelBox, scaleSide: Int, minimumScore: Float, overlapThreshold: Float) throws(DetectorError) -> [Detection] {
        var box = cw_box(x: Int32(region.x), y: Int32(region.y), width: Int32(region.width), height: Int32(region.height))
        var count: Int32 = 0
        let status = cw_detector_detect(
            handle, pixels.baseAddress, width, height, channels, Int64(rowStride), &box, Int32(clamping: scaleSide),
            minimumScore, overlapThreshold, results.baseAddress, Int32(results.count), &count,
            message.baseAddress, message.count)
        switch status {
        case CW_STATUS_OK:
            break
        case CW_STATUS_BAD_ARGUMENT:
            throw .badFrame(reason: Self.text(of: message))
        default:
            throw .inferenceFailed(message: Self.text(of: message))
        }
        var detections: [Detection] = []
        detections.reserveCapacity(Int(count))
        for found in results.prefix(Int(count)) {
            guard let objectClass = ObjectClass(cocoClassID: found.class_id) else { continue }
            let box = PixelBox(x: Int(found.box.x), y: Int(found.box.y), width: Int(found.box.width), height: Int(found.box.height))
            detections.append(Detection(objectClass: objectClass, score: found.score, box: box))
        }
        return detections
    }

    private static func text(of message: UnsafeMutableBufferPointer<CChar>) -> String {
        message[message.count - 1] = 0
        return String(cString: message.baseAddress!)
    }
}
