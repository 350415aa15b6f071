/// When a rule is armed: windows on days of the week, in the camera's local time (Seoul for
/// the reference district). A window may run past midnight (22:00–06:00 arms the evening of
/// its day and the early morning of the next).
public struct WeeklySchedule: Codable, Sendable, Hashable {
    /// One armed stretch.
    public struct Window: Codable, Sendable, Hashable {
        /// Days it starts on: 1 = Monday … 7 = Sunday (ISO 8601).
        public var days: Set<Int>
        /// Minutes after midnight it starts, 0..<1440.
        public var startMinute: Int
        /// Minutes after midnight it ends, 0...1440; at or before `startMinute` it ends the next day.
        public var endMinute: Int

        public init(days: Set<Int>, startMinute: Int, endMinute: Int) {
            self.days = days
            self.startMinute = startMinute
            self.endMinute = endMinute
        }
    }

    public var windows: [Window]

    public init(windows: [Window]) {
        self.windows = windows
    }

    /// Why a schedule cannot be used.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// A day outside 1...7.
        case badDay(window: Int, day: Int)
        /// A start or end outside the day.
        case badMinute(window: Int, minute: Int)
        /// No window has a day: the rule would never fire.
        case neverArmed

        public var description: String {
            switch self {
            case .badDay(let window, let day): "window \(window + 1): day \(day) is not 1 (Monday) … 7 (Sunday)"
            case .badMinute(let window, let minute): "window \(window + 1): minute \(minute) is not within a day (0…1440)"
            case .neverArmed: "the schedule has no day in any window, so the rule would never fire"
            }
        }
    }

    /// The schedule, or the first problem in it.
    public func validated() throws(Problem) -> WeeklySchedule {
        for (index, window) in windows.enumerated() {
            if let day = window.days.first(where: { !(1...7).contains($0) }) { throw .badDay(window: index, day: day) }
            guard (0..<1440).contains(window.startMinute) else { throw .badMinute(window: index, minute: window.startMinute) }
            guard (0...1440).contains(window.endMinute) else { throw .badMinute(window: index, minute: window.endMinute) }
        }
        guard windows.contains(where: { !$0.days.isEmpty }) else { throw .neverArmed }
        return self
    }

    /// True when the rule is armed on ISO `weekday` (1 = Monday) at `minute` after midnight.
    public func isArmed(weekday: Int, minute: Int) -> Bool {
        let yesterday = weekday == 1 ? 7 : weekday - 1
        return windows.contains { window in
            if window.startMinute < window.endMinute {
                return window.days.contains(weekday) && minute >= window.startMinute && minute < window.endMinute
            }
            // Runs past midnight: the evening part today, the morning part from yesterday's start.
            return (window.days.contains(weekday) && minute >= window.startMinute)
                || (window.days.contains(yesterday) && minute < window.endMinute)
        }
    }
}
