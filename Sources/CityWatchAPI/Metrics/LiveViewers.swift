import Synchronization

/// Live video sockets open on this server now, plain and masked (``NodeGauges``).
///
/// Counted where the sockets are served: a camera's hub sees a masked relay as one viewer
/// however many watch through it.
final class LiveViewers: Sendable {
    private let count = Mutex(0)
    private let served = Mutex(0)

    /// Viewers watching now.
    var current: Int { count.withLock { $0 } }

    /// Live streams this node sends to other nodes now (each fans out to that node's viewers).
    var relaysServed: Int { served.withLock { $0 } }

    /// Runs `body` (one camera's stream to another node) counted as a relay served.
    func relaying(_ body: () async -> Void) async {
        served.withLock { $0 += 1 }
        defer { served.withLock { $0 -= 1 } }
        await body()
    }

    /// Runs `body` (one viewer's feed) counted as a viewer, however it ends.
    func watching(_ body: () async -> Void) async {
        count.withLock { $0 += 1 }
        defer { count.withLock { $0 -= 1 } }
        await body()
    }
}
