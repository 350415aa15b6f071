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
        // This application's figures, read now, then the process's (Vapor's HTTP metrics, the pipelines' counters).
        var text = await NodeGauges.text(for: req)
        req.cityWatch.metrics.emit(into: &text)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: text)))
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
