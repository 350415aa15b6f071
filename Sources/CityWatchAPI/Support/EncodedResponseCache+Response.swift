import NIOHTTP1
import Vapor

extension EncodedResponseCache.Body {
    /// The body as a JSON response: the gzip copy for a client that accepts it (compressed once
    /// when cached, so Vapor's own per-response compression is switched off), else the plain one.
    func response(for req: Request, contentType: HTTPMediaType = .json) -> Response {
        var headers = HTTPHeaders()
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
