/// The state of a camera's stream as maintenance sees it.
public enum CameraHealth: String, Sendable, Codable, CaseIterable {
    /// First connection attempt in progress.
    case connecting
    /// Video is arriving.
    case online
    /// The process runs but no video arrived for the stall timeout.
    case stalled
    /// The stream failed; a restart is scheduled.
    case offline
    /// Restarting after a failure.
    case reconnecting
    /// The camera is disabled or CityWatch is stopping: not recording on purpose.
    case disabled
}
