import CityWatchAnalytics
import CityWatchDomain
import Foundation

/// The words maintenance reads about a change of a camera's tamper state — in the camera's
/// health history, on its camera-health alarm and in the console's notice: what changed, when in
/// the control room's time, and the figure that decided it.
///
/// The detector's own clock is the frame's capture time in seconds since 1970, which nobody
/// can read (`normal → moved at 1764925449.2 s`); the control room works in Korean time.
enum TamperNotice {
    /// `normal → moved at 2025-12-05 18:04:09 KST (shift px 20.0)`.
    static func detail(of change: TamperChange, at time: Date) -> String {
        change.text(at: ControlRoomTime.dateAndClock(time) + " KST")
    }
}
