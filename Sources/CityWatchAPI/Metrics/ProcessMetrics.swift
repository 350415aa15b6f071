import CityWatchMedia
import Metrics
import Prometheus

/// The process's swift-metrics backend: one Prometheus registry that everything made through
/// swift-metrics lands in — Vapor's own HTTP metrics (`http_requests_total`,
/// `http_request_duration_seconds`, `http_request_errors_total`, by method, route and status)
/// and the camera pipelines' counters (``PipelineMetrics``).
///
/// swift-metrics takes one backend per process (`MetricsSystem.bootstrap` traps on a second
/// call), while a process may configure many applications (the tests make hundreds), so this is
/// the one process-wide value of the server: bootstrapped the first time any application is
/// configured, shared by every application after it. In production a process is a node, so its
/// figures are the node's; what belongs to one application is read at scrape time instead
/// (``NodeGauges``).
public enum ProcessMetrics {
    /// The registry swift-metrics writes into (the metrics system is bootstrapped on first use).
    public static var registry: PrometheusCollectorRegistry { bootstrapped }

    /// Request latency buckets: most API answers take a few milliseconds, exports and imports seconds.
    static let requestDurationBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100),
                                                     .milliseconds(250), .seconds(1), .seconds(5)]

    /// A static `let` is initialised once, thread-safely, on first use: the bootstrap runs once.
    private static let bootstrapped: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["http_request_duration_seconds"] = requestDurationBuckets
        MetricsSystem.bootstrap(factory)
        // Registered now, so a scraper sees them at 0 before the first restart or gap.
        for label in PipelineMetrics.counters { _ = Counter(label: label) }
        return registry
    }()
}
