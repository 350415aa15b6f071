import Foundation

/// Why the detector could not be created or could not look at a frame.
public enum DetectorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// There is no readable file at `path` (wrong path, or the model was never installed).
    case modelMissing(path: String)
    /// The file at `path` exists but OpenCV could not load it as a network; `message` is
    /// OpenCV's reason (not an ONNX file, an unsupported operator, a truncated download).
    case modelUnloadable(path: String, message: String)
    /// The frame or region passed to `ObjectDetector.detect` does not fit together (buffer
    /// shorter than the frame, unsupported channel count, region off the frame); `reason` says which.
    case badFrame(reason: String)
    /// OpenCV failed while running the network; `message` is OpenCV's reason.
    case inferenceFailed(message: String)

    public var description: String {
        switch self {
        case .modelMissing(let path):
            // A relative path is read from the folder the program was started in: say which.
            path.hasPrefix("/") ? "detector model not found at \(path)"
                : "detector model not found at \(path) (from \(FileManager.default.currentDirectoryPath))"
        case .modelUnloadable(let path, let message): "OpenCV could not load the detector model \(path): \(message)"
        case .badFrame(let reason): "cannot run detection on this frame: \(reason)"
        case .inferenceFailed(let message): "detection failed in OpenCV: \(message)"
        }
    }
}
