import Foundation
import Synchronization

/// A wall clock a test moves by hand, for code that takes `() -> Date`.
public final class TestClock: Sendable {
    public let start: Date
    private let offset = Mutex<TimeInterval>(0)

    public init(start: Date = Date(timeIntervalSince1970: 1_780_000_000)) {
        self.start = start
    }

    /// The current test time.
    public var now: Date { start.addingTimeInterval(offset.withLock { $0 }) }

    /// Moves the clock forward.
    public func advance(_ seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }

    /// The clock as a closure.
    public var closure: @Sendable () -> Date { { self.now } }
}
