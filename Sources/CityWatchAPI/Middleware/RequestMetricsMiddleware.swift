import CityWatchApp
import Fluent
import FluentKit
import Prometheus
import Vapor

/// Counts requests and times them per route for `/metrics`.
struct RequestMetricsMiddleware: AsyncMiddleware {
    let registry: PrometheusCollectorRegistry

    static let buckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100),
                                      .milliseconds(250), .seconds(1), .seconds(5)]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let status: UInt
        let response: Response
        do {
            response = try await next.respond(to: request)
            status = response.status.code
        } catch {
            record(request, status: (error as? any AbortError)?.status.code ?? 500, elapsed: ContinuousClock.now - start)
            throw error
        }
        record(request, status: status, elapsed: ContinuousClock.now - start)
        return response
    }

    private func record(_ request: Request, status: UInt, elapsed: Duration) {
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "static"
        let method = request.method.rawValue
        registry.makeCounter(
            descriptor: .init(namespace: "citywatch", subsystem: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests by route and status"),
            labels: [("method", method), ("route", route), ("status", "\(status)")]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "citywatch", subsystem: "http", metricName: "request_duration", unitName: "seconds", helpText: "HTTP request latency by route"),
            labels: [("method", method), ("route", route)], buckets: Self.buckets
        ).record(elapsed)
    }
}
