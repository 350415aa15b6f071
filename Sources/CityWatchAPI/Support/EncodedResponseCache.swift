import CompressNIO
import Foundation
import NIOCore
import Synchronization

/// A few encoded response bodies, keyed by what they depend on, for answers that are large,
/// asked for often and change rarely (the map's site list: megabytes of JSON for a city).
final class EncodedResponseCache: Sendable {
    /// A body as JSON and, compressed once, as gzip.
    struct Body: Sendable {
        var plain: ByteBuffer
        var gzip: ByteBuffer?
    }

    private struct Entry {
        var body: Body
        var lastUsed: UInt64
    }

    private let entries = Mutex<(table: [String: Entry], clock: UInt64)>(([:], 0))
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The body for `key`, made by `make` when it is not cached.
    func body(for key: String, make: () throws -> Data) throws -> Body {
        if let hit = entries.withLock({ state -> Body? in
            state.clock += 1
            guard var entry = state.table[key] else { return nil }
            entry.lastUsed = state.clock
            state.table[key] = entry
            return entry.body
        }) { return hit }
        let plain = ByteBuffer(bytes: try make())
        var input = plain  // compressing moves the reader index of this copy only
        let body = Body(plain: plain, gzip: try? input.compress(with: .gzip()))
        entries.withLock { state in
            state.clock += 1
            state.table[key] = Entry(body: body, lastUsed: state.clock)
            if state.table.count > capacity, let oldest = state.table.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                state.table[oldest] = nil
            }
        }
        return body
    }
}
