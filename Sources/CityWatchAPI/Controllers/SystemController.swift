import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Prometheus
import SQLKit
import Vapor

/// Health, metrics and the console's settings.
struct SystemController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.endpoint(.GET, "healthz", access: .open, use: health)
        // Behind a bearer token (`CITYWATCH_METRICS_TOKEN`): request counts per route and cameras
        // per purpose tell an outsider too much. Without a token configured, metrics are off.
        routes.endpoint(.GET, "metrics", access: .credential("metrics token"), use: metrics)
        routes.endpoint(.GET, "api", "config", access: .signedIn, use: config)
        routes.endpoint(.GET, "api", "purposes", access: .signedIn, use: purposes)
    }

    struct HealthDTO: Content {
        var status: String
        var database: String
        /// `ok`, or how many cameras' footage is not reaching the index.
        var recording: String?
    }

    func health(req: Request) async throws -> Response {
        do {
            _ = try await req.db.sql.raw("SELECT 1 AS ok").first()
            let stalled = req.application.recording?.indexingSummary.stalledCameras ?? 0
            return try await HealthDTO(status: "ok", database: "ok",
                                       recording: stalled == 0 ? "ok" : "indexing stalled on \(stalled) camera(s)").encodeResponse(for: req)
        } catch {
            req.logger.error("health check: database unreachable", metadata: ["error": .string(String(describing: error))])
            let response = try await HealthDTO(status: "unavailable", database: "unreachable").encodeResponse(for: req)
            response.status = .serviceUnavailable
            return response
        }
    }

    func metrics(req: Request) async throws -> Response {
        guard let expected = req.cityWatch.configuration.metricsToken else {
            throw Abort(.unauthorized, reason: "metrics are off on this server: set CITYWATCH_METRICS_TOKEN and scrape with Authorization: Bearer <token>")
        }
        guard let sent = req.headers.bearerAuthorization?.token, AccessMiddleware.constantTimeEqual(sent, expected) else {
            throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer realm=\"citywatch metrics\""],
                        reason: "metrics need the configured token as Authorization: Bearer <token>")
        }
        let registry = req.cityWatch.metrics
        if let snapshot = try? await req.cityWatch.directory.snapshot(on: req.db) {
            var counts: [String: [String: Int]] = [:]
            for camera in snapshot.cameras {
                counts[snapshot.site(of: camera).record.purpose.code, default: [:]][camera.enabled ? "enabled" : "disabled", default: 0] += 1
            }
            for purpose in CameraPurpose.standard + [.other("")] {
                for state in ["enabled", "disabled"] {
                    registry.makeGauge(
                        descriptor: .init(namespace: "citywatch", metricName: "cameras", unitName: "", helpText: "Cameras in the registry by purpose and state"),
                        labels: [("purpose", purpose.code), ("state", state)]
                    ).set(Double(counts[purpose.code]?[state] ?? 0))
                }
            }
        }
        if let recording = req.application.recording {
            let indexing = recording.indexingSummary
            for (name, help, value) in [
                ("recording_indexing_stalled_cameras", "Cameras whose closed segments have waited too long for the index", indexing.stalledCameras),
                ("recording_segments_waiting_for_index", "Closed segments not in the index yet", indexing.waitingSegments),
                ("recording_segments_found_in_folder", "Closed segments the segment list missed and the folder gave, since start", indexing.foundInFolders),
            ] {
                registry.makeGauge(descriptor: .init(namespace: "citywatch", metricName: name, unitName: "", helpText: help)).set(Double(value))
            }
        }
        if let analytics = req.application.analytics {
            registry.makeGauge(descriptor: .init(namespace: "citywatch", metricName: "analytics_write_queue", unitName: "",
                                                 helpText: "Analysis results (events, track summaries, motion) waiting for the store"))
                .set(Double(analytics.writeQueueLength))
        }
        if let detector = req.application.analytics?.detectorStatistics {
            // Gauges set from the classifier's own counts on each scrape (it runs on a thread of its own).
            for (name, help, value) in [
                ("detector_runs", "Detector runs since start", Double(detector.runs)),
                ("detector_queue", "Requests (looks and track classifications) waiting for the detector", Double(detector.waiting)),
                ("detector_dropped", "Requests dropped unanswered since start: too old, or pushed out by a newer one of their camera", Double(detector.dropped)),
                ("detector_latency_seconds_average", "Mean seconds from a track's request to its answer", detector.runs == 0 ? 0 : detector.latencySeconds / Double(detector.runs)),
            ] {
                registry.makeGauge(descriptor: .init(namespace: "citywatch", metricName: name, unitName: "", helpText: help)).set(value)
            }
            for objectClass in ObjectClass.allCases {
                registry.makeGauge(descriptor: .init(namespace: "citywatch", metricName: "detector_answers", unitName: "",
                                                     helpText: "Detector answers since start by class (unknown: nothing found there)"),
                                   labels: [("class", objectClass.rawValue)]).set(Double(detector.answered[objectClass] ?? 0))
            }
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: registry.emitToString()))
    }

    func config(req: Request) async throws -> ConsoleConfigDTO {
        let configuration = req.cityWatch.configuration
        return ConsoleConfigDTO(tileURL: configuration.tileURL, tileAttribution: configuration.tileAttribution,
                                center: [37.4979, 127.0276], zoom: 13)
    }

    func purposes(req: Request) async throws -> [PurposeDTO] {
        (CameraPurpose.standard + [.other("")]).map {
            PurposeDTO(code: $0.code, name: $0.koreanName.isEmpty ? "기타" : $0.koreanName, nameEnglish: $0.englishName, color: $0.colour)
        }
    }
}
