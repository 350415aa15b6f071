import CityWatchApp
import Fluent
import FluentKit
import Vapor

/// Headers that keep the console from being framed, sniffed or made to load foreign scripts,
/// and API answers out of caches.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "img-src 'self' data: https: http:", "style-src 'self' 'unsafe-inline'",
        "connect-src 'self'", "media-src 'self' blob:", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
    ].joined(separator: "; ")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = [
            ("Content-Security-Policy", Self.contentSecurityPolicy), ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer"),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if !response.headers.contains(name: .cacheControl) {
            if request.url.path.hasPrefix("/api/") {
                response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            } else if !request.url.path.hasPrefix("/vendor/") {
                // The console's own files: revalidate, so an upgrade is picked up at once.
                response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
            }
        }
        return response
    }
}
