import Crypto
import Foundation

/// The secret the nodes of a cluster share (`CITYWATCH_CLUSTER_SECRET`): every request one
/// node makes of another (live video relayed, a segment read for playback or export, a probe)
/// carries a signature made with it, and a node answers no such request without a valid one.
///
/// The signature covers the method, the path with its query, the calling node's name and the
/// time; a signed request is good for ``window`` seconds either side, judged by the cluster's
/// time (each node's clock corrected by the database's), so a node whose clock is wrong is not
/// refused and a captured request cannot be replayed later.
public struct ClusterSecret: Sendable {
    /// The header a node-to-node request carries: `node=NAME; time=UNIX; signature=HEX`.
    public static let header = "X-CityWatch-Peer"
    /// Seconds a signature stays good either side of its time.
    public static let window: TimeInterval = 60

    private let key: Data

    public init(_ secret: String) {
        key = Data(secret.utf8)
    }

    /// Why a node-to-node request was refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// This node has no secret: it answers no node-to-node request.
        case notConfigured
        case missing
        case malformed
        /// Signed with another secret: the two nodes are not configured alike.
        case wrongSecret(node: String)
        /// Signed too long ago (or ahead): a replay, or a node whose clock could not be corrected.
        case outOfWindow(node: String, seconds: Int)

        public var description: String {
            switch self {
            case .notConfigured: "this node has no CITYWATCH_CLUSTER_SECRET: it answers no node-to-node request"
            case .missing: "a node-to-node request needs the \(ClusterSecret.header) header"
            case .malformed: "the \(ClusterSecret.header) header is not 'node=…; time=…; signature=…'"
            case .wrongSecret(let node):
                "the request from node '\(node)' is not signed with this node's cluster secret: give every node the same CITYWATCH_CLUSTER_SECRET"
            case .outOfWindow(let node, let seconds):
                "the request from node '\(node)' was signed \(seconds) s away from this node's cluster time (at most \(Int(ClusterSecret.window)) s)"
            }
        }
    }

    /// The header value for a request from `node`.
    public func sign(method: String, path: String, node: String, at time: Date) -> String {
        let seconds = Int64(time.timeIntervalSince1970.rounded(.down))
        return "node=\(node); time=\(seconds); signature=\(signature(method: method, path: path, node: node, seconds: seconds))"
    }

    /// The calling node's name when `header` is a valid signature of the request at `now`.
    public func verify(_ header: String?, method: String, path: String, now: Date) -> Result<String, Refusal> {
        guard let header, !header.isEmpty else { return .failure(.missing) }
        var fields: [String: String] = [:]
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { return .failure(.malformed) }
            fields[pair[0]] = pair[1]
        }
        guard let node = fields["node"], !node.isEmpty, node.count <= 64, let time = fields["time"].flatMap(Int64.init),
              let given = fields["signature"] else { return .failure(.malformed) }
        let expected = signature(method: method, path: path, node: node, seconds: time)
        // Compared in constant time: a byte-by-byte match would tell an attacker how far it got.
        guard given.utf8.count == expected.utf8.count,
              zip(given.utf8, expected.utf8).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else {
            return .failure(.wrongSecret(node: node))
        }
        let skew = now.timeIntervalSince1970 - Double(time)
        guard abs(skew) <= Self.window else { return .failure(.outOfWindow(node: node, seconds: Int(skew.rounded()))) }
        return .success(node)
    }

    private func signature(method: String, path: String, node: String, seconds: Int64) -> String {
        let message = "\(method.uppercased())\n\(path)\n\(node)\n\(seconds)"
        return HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key)).map { String(format: "%02x", $0) }.joined()
    }
}
