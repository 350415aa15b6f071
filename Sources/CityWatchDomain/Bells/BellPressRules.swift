import Foundation

/// How a bell (or the gateway it hangs on) proves a press is real, and the checks a press must
/// pass before it raises an alarm.
///
/// A press is `POST /api/bells/<bell key>/press` (``BellRecord/key``: 관리번호, or 안전비상벨관리번호
/// for a bell from a file without 관리번호) with three headers: `X-Bell-Time`
/// (Unix seconds when the bell sent it), `X-Bell-Nonce` (16–64 letters, digits, `-` or `_`,
/// never used twice by the bell) and `X-Bell-Signature`: the lowercase hex HMAC-SHA256, keyed
/// with the bell's secret, of ``signedText(bell:time:nonce:drill:)``. A copy of a press sent
/// again is refused by its nonce; an old one by its time; a made-up one by its signature.
public enum BellPressRules {
    /// Why a press was refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case unknownBell(String)
        /// The bell (named by its key) has no press secret yet.
        case noSecret(String)
        case missingHeader(String)
        case badTime(String)
        case stale(seconds: Int)
        case badNonce
        case badSignature
        case replayed

        public var description: String {
            switch self {
            case .unknownBell(let ref): "no bell '\(ref.prefix(60))'"
            case .noSecret(let key): "bell \(key) has no secret yet; issue one with `citywatch bells key \(key)`"
            case .missingHeader(let name): "header \(name) is missing"
            case .badTime(let text): "header X-Bell-Time '\(text.prefix(30))' is not Unix seconds"
            case .stale(let seconds): "the press was signed \(seconds) s away from the server's clock (at most \(BellPressRules.maximumSkew) s allowed)"
            case .badNonce: "header X-Bell-Nonce must be 16–64 letters, digits, '-' or '_'"
            case .badSignature: "the signature does not match the bell's secret"
            case .replayed: "this press (its nonce) was already received: a replay"
            }
        }

        /// The case's name, for counting refusals of one kind together.
        public var kind: String {
            switch self {
            case .unknownBell: "unknownBell"
            case .noSecret: "noSecret"
            case .missingHeader: "missingHeader"
            case .badTime: "badTime"
            case .stale: "stale"
            case .badNonce: "badNonce"
            case .badSignature: "badSignature"
            case .replayed: "replayed"
            }
        }

        /// True when the caller could not prove it is the bell (401 rather than 400 or 409).
        public var isAuthentication: Bool {
            switch self {
            case .noSecret, .badSignature, .stale: true
            default: false
            }
        }
    }

    /// Seconds a press may be signed before or after the server's clock.
    public static let maximumSkew = 120

    /// The text a press signs: the bell's name (its key, see ``Bell/signedName(pressedAs:)``),
    /// its time, its nonce, whether the bell is in training mode.
    public static func signedText(bell name: String, time: Int64, nonce: String, drill: Bool) -> String {
        "citywatch-bell-press\n\(name)\n\(time)\n\(nonce)\n\(drill ? "drill" : "live")"
    }

    /// The signing time from its header, checked against `now`.
    public static func time(_ header: String?, now: Date) throws(Refusal) -> Int64 {
        guard let header else { throw .missingHeader("X-Bell-Time") }
        guard let time = Int64(header.trimmingCharacters(in: .whitespaces)) else { throw .badTime(header) }
        let skew = abs(Double(time) - now.timeIntervalSince1970)
        guard skew <= Double(maximumSkew) else { throw .stale(seconds: skew > 1e9 ? Int.max : Int(skew)) }
        return time
    }

    /// The nonce from its header.
    public static func nonce(_ header: String?) throws(Refusal) -> String {
        guard let header else { throw .missingHeader("X-Bell-Nonce") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard (16...64).contains(header.count), header.allSatisfy(allowed.contains) else { throw .badNonce }
        return header
    }
}
