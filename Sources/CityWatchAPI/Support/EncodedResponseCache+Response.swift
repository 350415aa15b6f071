import NIOHTTP1
import Vapor

extension EncodedResponseCache.Body {
    /// The body as a JSON response: the gzip copy for a client that accepts it (compressed once
    /// when cached, so Vapor's own per-response compression is switched off), else the plain one.
    ///
    /// With an `etag` (a name of what the body was made from), a request whose `If-None-Match`
    /// names it is answered 304 with no body: a console asks again cheaply whether anything
    /// changed (the map, whenever it is shown again).
    func response(for req: Request, contentType: HTTPMediaType = .json, etag: String? = nil) -> Response {
        var headers = HTTPHeaders()
        if let etag {
            headers.replaceOrAdd(name: .eTag, value: etag)
            headers.replaceOrAdd(name: .cacheControl, value: "private, no-cache")
            if req.headers[.ifNoneMatch].contains(where: { $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag } }) {
                return Response(status: .notModified, headers: headers)
            }
        }
        headers.contentType = contentType
        headers.add(name: .vary, value: "Accept-Encoding")
        let acceptsGzip = req.headers[.acceptEncoding].contains { $0.lowercased().contains("gzip") }
        if acceptsGzip, let gzip {
            headers.responseCompression = .disable
            headers.replaceOrAdd(name: .contentEncoding, value: "gzip")
            return Response(status: .ok, headers: headers, body: .init(buffer: gzip))
        }
        return Response(status: .ok, headers: headers, body: .init(buffer: plain))
    }
}
