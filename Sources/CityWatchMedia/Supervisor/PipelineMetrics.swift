import Metrics

/// The counters camera pipelines keep through swift-metrics: whatever backend the process has
/// bootstrapped (the server's Prometheus registry, `/metrics`) receives them; in a process
/// without one they go nowhere. One process is one node, so they count the node's cameras.
///
/// Only events that happen between scrapes are counted here; what a pipeline *is* (its health,
/// its frames) is read when `/metrics` is scraped.
public enum PipelineMetrics {
    /// ffmpeg started again after it failed or stalled (a camera's first start is not counted).
    public static let ffmpegRestarts = "citywatch_ffmpeg_restarts_total"
    /// Recording gaps: video came back after an outage, and the time between is not recorded.
    public static let recordingGaps = "citywatch_recording_gaps_total"
    /// Every counter, so a backend can show them at 0 before the first event.
    public static let counters = [ffmpegRestarts, recordingGaps]

    /// Counts one event of `label`.
    static func count(_ label: String) {
        Counter(label: label).increment()
    }
}
