import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address or a CIDR range (`10.0.0.5`, `10.0.0.0/24`, `::1`, `fd00::/8`): the proxies a
/// server believes about who the client is.
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    /// The network's bytes (4 for IPv4, 16 for IPv6) and how many leading bits must match.
    let bytes: [UInt8]
    let prefixLength: Int

    /// Parses `text`; nil when it is neither an address nor an address with a valid `/bits`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let bytes = Self.parse(String(parts[0])) else { return nil }
        let width = bytes.count * 8
        var length = width
        if parts.count == 2 {
            guard let bits = Int(parts[1]), (0...width).contains(bits) else { return nil }
            length = bits
        }
        self.bytes = bytes
        self.prefixLength = length
    }

    /// True when `address` (as a socket reports it) lies in the range. An IPv4 address written
    /// as IPv6 (`::ffff:10.0.0.5`) counts as the IPv4 address.
    public func contains(_ address: String) -> Bool {
        guard var other = Self.parse(address) else { return false }
        if other.count == 16, bytes.count == 4, other.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] {
            other = Array(other.suffix(4))
        }
        guard other.count == bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(bytes, other) where remaining > 0 {
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if mine & mask != theirs & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String {
        let width = bytes.count * 8
        let address: String
        if bytes.count == 4 {
            address = bytes.map(String.init).joined(separator: ".")
        } else {
            address = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
        }
        return prefixLength == width ? address : "\(address)/\(prefixLength)"
    }

    /// The address's bytes, by the C library's own parser (no hand-rolled IPv6 grammar).
    static func parse(_ text: String) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        var v4 = in_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, trimmed, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// The client an `X-Forwarded-For` chain names, seen from `peer`: when `peer` is a trusted
    /// proxy, the right-most address in the chain that is not one (each proxy appends the peer
    /// it saw, so everything left of that may be forged by the client); otherwise `peer`.
    public static func client(peer: String, forwardedFor: [String], trusted: [AddressRange]) -> String {
        guard !trusted.isEmpty, trusted.contains(where: { $0.contains(peer) }) else { return peer }
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for hop in chain.reversed() {
            guard parse(hop) != nil else { return peer }  // garbage in the chain: believe only the socket
            if !trusted.contains(where: { $0.contains(hop) }) { return hop }
        }
        return chain.first ?? peer
    }
}
