import CityWatchStore
import FluentKit
import Foundation
import Logging
import Synchronization

/// Tells open sockets (live video, the event and alarm feeds) at once when users' rights may
/// have changed: a role, a user disabled, camera groups granted or deleted, a password reset.
///
/// Every such change, made through any node or the command line, writes a new access version to
/// the shared store (``Accounts``). While a socket is open, one task per process reads that
/// version twice a second and, when it moves, forgets the cached sessions and wakes every open
/// socket, which then asks the store what its user may still see (``SocketGuard``). Changes made
/// through this process wake them without waiting for the read.
final class AccessWatch: Sendable {
    private struct State {
        var subscribers: [UUID: AsyncStream<Void>.Continuation] = [:]
        var poller: Task<Void, Never>?
        var seen: String?
    }

    private let state = Mutex(State())
    let interval: Duration
    let sessions: SessionCache

    init(sessions: SessionCache, interval: Duration = .milliseconds(500)) {
        self.sessions = sessions
        self.interval = interval
    }

    /// A stream that yields whenever access may have changed, until the caller stops reading.
    /// The first subscriber starts the store's poll, the last one to leave stops it.
    func changes(database: @escaping @Sendable () -> any Database) -> AsyncStream<Void> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in self?.leave(id) }
        let start = state.withLock { state -> Bool in
            state.subscribers[id] = continuation
            return state.poller == nil
        }
        if start {
            let poller = Task { [weak self] in
                guard let self else { return }
                await self.poll(database: database)
            }
            state.withLock { $0.poller = $0.poller ?? poller }
        }
        return stream
    }

    /// Access changed through this process: wake every socket now.
    func changed() {
        sessions.clear()
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield() }
    }

    /// How many sockets are listening (for tests).
    var listeners: Int { state.withLock { $0.subscribers.count } }

    private func leave(_ id: UUID) {
        let poller = state.withLock { state -> Task<Void, Never>? in
            state.subscribers[id] = nil
            guard state.subscribers.isEmpty else { return nil }
            defer { state.poller = nil; state.seen = nil }
            return state.poller
        }
        poller?.cancel()
    }

    private func poll(database: @escaping @Sendable () -> any Database) async {
        while !Task.isCancelled {
            // No row yet reads as "": the first change ever moves it too.
            if let version = try? await Settings(database: database()).get(.accessVersion) ?? "" {
                let moved = state.withLock { state -> Bool in
                    defer { state.seen = version }
                    return state.seen != nil && state.seen != version
                }
                if moved { changed() }
            }
            try? await Task.sleep(for: interval)
        }
    }
}
