import Foundation

/// Times as the control room's clocks show them: the district's time (Asia/Seoul, KST), for
/// alarm details, maintenance notices and anything else an operator reads.
public enum ControlRoomTime {
    /// The district's time zone.
    public static let zone = TimeZone(identifier: "Asia/Seoul") ?? TimeZone(secondsFromGMT: 9 * 3600)!

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }()

    /// "HH:MM:SS" of `date` in KST.
    public static func clock(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        return pad(parts.hour) + ":" + pad(parts.minute) + ":" + pad(parts.second)
    }

    /// "YYYY-MM-DD HH:MM:SS" of `date` in KST.
    public static func dateAndClock(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(parts.year ?? 0)-\(pad(parts.month))-\(pad(parts.day)) " + clock(date)
    }

    private static func pad(_ value: Int?) -> String {
        let value = value ?? 0
        return value < 10 ? "0\(value)" : "\(value)"
    }
}
