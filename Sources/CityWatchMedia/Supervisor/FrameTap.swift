import Foundation
import Synchronization

/// The latest analysis frame of a camera, for whoever analyses it.
///
/// The pipe reader writes every frame; a reader that is slower than the camera simply finds
/// the newest one, and the frames it never saw are counted as dropped. Recording never waits
/// on analysis.
public final class FrameTap: Sendable {
    /// One analysis frame.
    public struct Frame: Sendable {
        /// yuv420p: `width × height` luma values (row after row), then the U and V planes at
        /// half the width and height each (rounded up).
        public var pixels: [UInt8]
        public var width: Int
        public var height: Int
        /// Counts frames from the start of the camera's supervision.
        public var sequence: UInt64
        public var capturedAt: Date
    }

    private struct State {
        var latest: Frame?
        var received: UInt64 = 0
        var taken: UInt64 = 0
        var lastTakenSequence: UInt64 = 0
        var dropped: UInt64 = 0
    }

    public let width: Int
    public let height: Int
    private let state = Mutex(State())

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Frames received, taken by a reader, and dropped (overwritten before anyone took them).
    public var counts: (received: UInt64, taken: UInt64, dropped: UInt64) {
        state.withLock { ($0.received, $0.taken, $0.dropped) }
    }

    /// The newest frame not yet taken, if any.
    public func take() -> Frame? {
        state.withLock { state in
            guard let frame = state.latest, frame.sequence > state.lastTakenSequence else { return nil }
            state.dropped += frame.sequence - state.lastTakenSequence - 1
            state.lastTakenSequence = frame.sequence
            state.taken += 1
            return frame
        }
    }

    func publish(_ pixels: [UInt8], at time: Date) {
        state.withLock { state in
            state.received += 1
            state.latest = Frame(pixels: pixels, width: width, height: height, sequence: state.received, capturedAt: time)
        }
    }
}
