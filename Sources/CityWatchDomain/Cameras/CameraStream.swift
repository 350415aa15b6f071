import Foundation

/// Where a camera's video comes from: a main stream (recorded and shown live) and an optional
/// sub stream (low resolution, used for analytics), with credentials kept apart from the URLs
/// so they can be stored but never shown.
public struct CameraStream: Hashable, Sendable, Codable {
    /// `rtsp://host/path`, `http(s)://…`, or a file path / `file://` URL; without credentials.
    public var mainURL: String
    /// The sub stream, if the camera has one.
    public var subURL: String?
    /// User name for the camera, if it needs one.
    public var username: String?
    /// Password for the camera; never returned by the API nor written to logs.
    public var password: String?
    /// Read a file source in a loop at its native rate (synthetic and demo cameras).
    public var loop: Bool

    public init(mainURL: String, subURL: String? = nil, username: String? = nil, password: String? = nil, loop: Bool = false) {
        self.mainURL = mainURL
        self.subURL = subURL
        self.username = username
        self.password = password
        self.loop = loop
    }

    /// Why a stream cannot be used.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The URL's scheme is not one CityWatch reads.
        case unsupportedScheme(String)
        /// The URL is empty or has no host.
        case malformed(String)

        public var description: String {
            switch self {
            case .unsupportedScheme(let url): "stream '\(CameraStream.redact(url).prefix(80))' must be rtsp://, rtsps://, http://, https:// or a file path"
            case .malformed(let url): "stream '\(CameraStream.redact(url).prefix(80))' is not a usable URL"
            }
        }
    }

    /// The kind of source, by URL scheme.
    public enum Kind: String, Sendable {
        case rtsp, http, file
    }

    /// Checks both URLs and moves any `user:password@` in them into the credential fields.
    public func validated() throws(Problem) -> CameraStream {
        var copy = self
        copy.mainURL = try Self.check(mainURL, into: &copy)
        if let sub = subURL, !sub.isEmpty { copy.subURL = try Self.check(sub, into: &copy) } else { copy.subURL = nil }
        return copy
    }

    private static func check(_ url: String, into stream: inout CameraStream) throws(Problem) -> String {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        // No URL holds a control character; one would also end the line of the ffconcat script
        // a stream with credentials is read from (see RecordingCommand).
        guard !trimmed.isEmpty, !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { throw .malformed(url) }
        guard let kind = kind(of: trimmed) else { throw .unsupportedScheme(trimmed) }
        guard kind != .file else { return trimmed }
        guard let schemeEnd = trimmed.range(of: "://") else { throw .malformed(url) }
        var rest = trimmed[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                stream.username = String(userInfo[..<colon]).removingPercentEncoding ?? String(userInfo[..<colon])
                let secret = userInfo[userInfo.index(after: colon)...]
                stream.password = String(secret).removingPercentEncoding ?? String(secret)
            } else {
                stream.username = String(userInfo).removingPercentEncoding ?? String(userInfo)
            }
            rest = rest[rest.index(after: at)...]
        }
        guard !rest.isEmpty, rest.first != "/" else { throw .malformed(url) }
        return String(trimmed[..<schemeEnd.upperBound]) + rest
    }

    /// The kind of a URL, or nil when CityWatch cannot read it.
    public static func kind(of url: String) -> Kind? {
        let lower = url.lowercased()
        if lower.hasPrefix("rtsp://") || lower.hasPrefix("rtsps://") { return .rtsp }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return .http }
        if lower.hasPrefix("file://") || lower.hasPrefix("/") || lower.hasPrefix("./") { return .file }
        return nil
    }

    /// A URL with credentials added, for the process that reads it (never for logs).
    public func urlWithCredentials(_ url: String) -> String {
        guard let username, !username.isEmpty, let schemeEnd = url.range(of: "://"), Self.kind(of: url) != .file else { return url }
        let allowed = CharacterSet.urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))
        let user = username.addingPercentEncoding(withAllowedCharacters: allowed) ?? username
        let secret = password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) } ?? ""
        return String(url[..<schemeEnd.upperBound]) + user + secret + "@" + url[schemeEnd.upperBound...]
    }

    /// `text` (an ffmpeg message, a reason, anything that may have seen this stream's URL) with
    /// the password taken out wherever it appears — as written or percent-encoded as in the URL —
    /// and the `user:password@` of every URL in it replaced by `***@`. Scrub before cutting a
    /// text short: a cut could leave part of the password.
    public func scrubbed(_ text: String) -> String {
        var text = text
        if let password, !password.isEmpty {
            let allowed = CharacterSet.urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))
            for form in Set([password, password.addingPercentEncoding(withAllowedCharacters: allowed) ?? password]) {
                text = text.replacingOccurrences(of: form, with: "***")
            }
        }
        // Every URL in the text, not only the first.
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            let end = rest[scheme.upperBound...].firstIndex { $0 == " " || $0 == "'" || $0 == "\"" } ?? rest.endIndex
            out += Self.redact(String(rest[..<end]))
            rest = rest[end...]
        }
        return out + rest
    }

    /// `url` with any `user:password@` replaced by `***@`, safe to print.
    public static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + "***@" + rest[rest.index(after: at)...]
    }
}
