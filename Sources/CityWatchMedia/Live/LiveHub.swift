import Foundation
import Synchronization

/// One camera's live video, fanned out to every viewer from a single source.
///
/// The camera's ffmpeg writes one fragmented-MP4 stream; the hub cuts it into the
/// initialisation segment and fragments, keeps the fragments since the last keyframe (so a new
/// viewer starts at once, on a keyframe), and hands each piece to every subscriber. The cost
/// of a camera does not grow with its viewers: one process, one parse, N queue appends.
/// A viewer that falls behind loses fragments until the next keyframe and carries on from
/// there, instead of holding memory or the camera back.
public final class LiveHub: Sendable {
    /// What a viewer receives.
    public enum Message: Sendable, Equatable {
        /// Start (or restart) decoding with this initialisation segment and codec.
        case initialization(bytes: [UInt8], codec: String?)
        /// The next media fragment.
        case fragment(bytes: [UInt8])
    }

    private struct Subscriber {
        var continuation: AsyncStream<Message>.Continuation
        var waitingForKeyframe: Bool
    }

    private struct State {
        var splitter = FragmentedMP4Splitter()
        var initialization: Message?
        var sinceKeyframe: [[UInt8]] = []
        var cachedBytes = 0
        var subscribers: [UUID: Subscriber] = [:]
        var bytesIn: UInt64 = 0
    }

    /// Fragments a viewer may have queued before it is considered behind.
    public static let viewerQueueLimit = 120
    /// Bytes of the keyframe cache beyond which it stops growing (a very long GOP).
    public static let cacheLimit = 16 << 20

    private let state = Mutex(State())

    public init() {}

    /// Viewers connected now.
    public var viewerCount: Int { state.withLock { $0.subscribers.count } }

    /// Bytes received from the camera since start.
    public var bytesReceived: UInt64 { state.withLock { $0.bytesIn } }

    /// Subscribes a viewer: it gets the initialisation segment and the fragments since the last
    /// keyframe at once, then every new fragment. Ends when `stop` is called or the caller
    /// stops iterating.
    public func subscribe() -> AsyncStream<Message> {
        subscription().stream
    }

    /// Runs `body` with a subscription (as ``subscribe()``) that ends when `body` returns, even
    /// if it stopped iterating without being cancelled, so a viewer is never left counted.
    public func watch<Result>(_ body: (AsyncStream<Message>) async throws -> Result) async rethrows -> Result {
        let (id, stream) = subscription()
        defer { unsubscribe(id) }
        return try await body(stream)
    }

    private func unsubscribe(_ id: UUID) {
        let continuation = state.withLock { $0.subscribers.removeValue(forKey: id)?.continuation }
        continuation?.finish()
    }

    private func subscription() -> (id: UUID, stream: AsyncStream<Message>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Message>.makeStream(bufferingPolicy: .bufferingOldest(Self.viewerQueueLimit))
        state.withLock { state in
            var waiting = true
            if let initialization = state.initialization, !state.sinceKeyframe.isEmpty {
                continuation.yield(initialization)
                for fragment in state.sinceKeyframe { continuation.yield(.fragment(bytes: fragment)) }
                waiting = false
            }
            state.subscribers[id] = Subscriber(continuation: continuation, waitingForKeyframe: waiting)
        }
        continuation.onTermination = { [weak self] _ in
            // This runs while the cancelled viewer task's status is locked, and `ingest` yields
            // (which may take that same lock to wake the viewer) while holding `state`: waiting
            // for `state` here deadlocked both threads (a viewer leaving while a fragment came).
            // When `state` is busy the subscriber goes at the next delivery instead.
            _ = self?.state.withLockIfAvailable { $0.subscribers.removeValue(forKey: id) }
        }
        return (id, stream)
    }

    /// The initialisation segment and the fragments since the last keyframe, joined: a short
    /// playable MP4 whose first frame is the camera's latest keyframe (for snapshots). Nil
    /// before the first keyframe.
    public func latestKeyframeClip() -> [UInt8]? {
        state.withLock { state in
            guard case let .initialization(bytes, _)? = state.initialization, !state.sinceKeyframe.isEmpty else { return nil }
            return bytes + state.sinceKeyframe.joined()
        }
    }

    /// The camera picture's display size, from the initialisation segment; nil before it came.
    /// Analysis frames are scaled to a fixed 16:9 size, so this is where a picture's real shape
    /// is known (event snapshots are drawn in it).
    public var pictureSize: (width: Int, height: Int)? {
        state.withLock { state in
            guard case let .initialization(bytes, _)? = state.initialization else { return nil }
            return FragmentedMP4Splitter.pictureSize(inInitialization: bytes)
        }
    }

    /// A new source process starts: forget the old stream's state.
    public func reset() {
        state.withLock { state in
            state.splitter = FragmentedMP4Splitter()
            state.initialization = nil
            state.sinceKeyframe = []
            state.cachedBytes = 0
            for id in state.subscribers.keys { state.subscribers[id]?.waitingForKeyframe = true }
        }
    }

    /// Bytes from the camera's live pipe. Quick: called on the pipe reader's thread.
    public func ingest(_ bytes: UnsafeRawBufferPointer) {
        state.withLock { state in
            state.bytesIn += UInt64(bytes.count)
            let pieces: [FragmentedMP4Splitter.Piece]
            do { pieces = try state.splitter.append(bytes.bindMemory(to: UInt8.self)) } catch {
                // Corrupt stream: start over at the next process (the supervisor restarts it on stalls).
                state.splitter = FragmentedMP4Splitter()
                return
            }
            for piece in pieces {
                switch piece {
                case let .initialization(bytes, codec):
                    let fresh = Message.initialization(bytes: bytes, codec: codec)
                    if let previous = state.initialization, previous != fresh {
                        // A new stream inside the same byte stream (a relayed camera whose holder
                        // restarted it): every viewer starts again at its next keyframe.
                        state.sinceKeyframe = []
                        state.cachedBytes = 0
                        for id in state.subscribers.keys { state.subscribers[id]?.waitingForKeyframe = true }
                    }
                    state.initialization = fresh
                case let .fragment(bytes, isKeyframe):
                    if isKeyframe {
                        state.sinceKeyframe = [bytes]
                        state.cachedBytes = bytes.count
                    } else if state.cachedBytes + bytes.count <= Self.cacheLimit, !state.sinceKeyframe.isEmpty {
                        state.sinceKeyframe.append(bytes)
                        state.cachedBytes += bytes.count
                    }
                    deliver(bytes, isKeyframe: isKeyframe, in: &state)
                }
            }
        }
    }

    private func deliver(_ bytes: [UInt8], isKeyframe: Bool, in state: inout State) {
        for (id, var subscriber) in state.subscribers {
            if subscriber.waitingForKeyframe {
                guard isKeyframe, let initialization = state.initialization else { continue }
                if case .terminated = subscriber.continuation.yield(initialization) {
                    state.subscribers[id] = nil  // left while `state` was busy (see `subscription`)
                    continue
                }
                subscriber.waitingForKeyframe = false
            }
            switch subscriber.continuation.yield(.fragment(bytes: bytes)) {
            case .terminated:
                state.subscribers[id] = nil
                continue
            case .dropped:
                subscriber.waitingForKeyframe = true
            default:
                break
            }
            state.subscribers[id] = subscriber
        }
    }

    /// Ends every viewer's stream.
    public func finishAll() {
        let continuations = state.withLock { state in
            defer { state.subscribers = [:] }
            return state.subscribers.values.map(\.continuation)
        }
        continuations.forEach { $0.finish() }
    }
}
