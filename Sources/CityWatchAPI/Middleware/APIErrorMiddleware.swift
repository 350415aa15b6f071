import Foundation
import Vapor

/// Turns every error into `{"error": true, "reason": …}` with the right status.
///
/// A 4xx is the client's mistake and is logged at debug level only (a console's first
/// `GET /api/session` before sign-in is a 401 by design); a 5xx is logged as an error with the
/// full error, while the client gets a reason that reveals nothing of the server's insides.
struct APIErrorMiddleware: AsyncMiddleware {
    struct Body: Content {
        var error = true
        var reason: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let status: HTTPResponseStatus
            let reason: String
            var headers = HTTPHeaders()
            switch error {
            case let abort as any AbortError:
                status = abort.status
                reason = abort.reason
                headers = abort.headers
            case let decoding as DecodingError:
                status = .badRequest
                reason = Request.describe(decoding)
            default:
                status = .internalServerError
                reason = "internal error (request \(request.id)); the server log has the details"
            }
            if status.code >= 500 {
                request.logger.error("request failed", metadata: [
                    "status": .stringConvertible(status.code), "path": .string(request.url.path),
                    "error": .string(String(reflecting: error)),
                ])
            } else {
                request.logger.debug("request refused", metadata: [
                    "status": .stringConvertible(status.code), "path": .string(request.url.path), "reason": .string(reason),
                ])
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            headers.contentType = .json
            return Response(status: status, headers: headers, body: .init(data: try encoder.encode(Body(reason: reason))))
        }
    }
}
