/// Why a synthetic scene cannot be rendered.
public enum SyntheticSceneError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Width or height is odd, too small (under 16) or beyond 8K.
    case badFrameSize(width: Int, height: Int)
    /// Frames per second outside 1…120.
    case badFrameRate(Int)
    /// Duration not positive, or too short for a single frame.
    case badDuration(Double)
    /// Noise or shake out of range (the message says which limit).
    case badEffect(String)
    /// Two objects share a track id.
    case duplicateObjectID(Int)
    /// An object has no keyframes.
    case emptyPath(objectID: Int)
    /// An object's keyframes or postures are not sorted by time.
    case unsortedTimes(objectID: Int)
    /// An object (or one of its postures) is smaller than 2 × 2 pixels.
    case badObjectSize(objectID: Int)
    /// A scripted event names a track id no object has.
    case unknownTrack(Int)
    /// No built-in scene has this name.
    case unknownScene(String)
    /// The scene's background clip does not exist (e.g. `campus` without ../shared/data/vtest.avi).
    case backgroundVideoMissing(path: String)

    public var description: String {
        switch self {
        case .badFrameSize(let width, let height): "frame size \(width)x\(height) must be even and between 16x16 and 7680x4320"
        case .badFrameRate(let fps): "frame rate \(fps) must be 1…120"
        case .badDuration(let seconds): "duration \(seconds) s must be positive and hold at least one frame"
        case .badEffect(let message): "bad effect: \(message)"
        case .duplicateObjectID(let id): "two objects have id \(id)"
        case .emptyPath(let id): "object \(id) has no keyframes"
        case .unsortedTimes(let id): "object \(id) has keyframes or postures out of time order"
        case .badObjectSize(let id): "object \(id) is smaller than 2x2 pixels"
        case .unknownTrack(let id): "a scripted event names object \(id), which the scene does not have"
        case .unknownScene(let name): "no built-in scene \"\(name)\" (known: \(BuiltInScene.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .backgroundVideoMissing(let path): "background video \(path) does not exist"
        }
    }
}
