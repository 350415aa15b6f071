import Foundation

/// One line of the CSV segment list ffmpeg appends when it closes a segment:
/// `name,start,end` with start and end in seconds since the process began.
public struct SegmentListLine: Sendable, Equatable {
    public var fileName: String
    public var start: Double
    public var end: Double

    public init(fileName: String, start: Double, end: Double) {
        self.fileName = fileName
        self.start = start
        self.end = end
    }

    /// Parses a line; nil for anything else (a partial line, noise).
    public init?(line: String) {
        let parts = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let start = Double(parts[1]), let end = Double(parts[2]),
              start.isFinite, end.isFinite, end >= start else { return nil }
        fileName = String(parts[0])
        self.start = start
        self.end = end
    }

    /// Seconds of video in the segment.
    public var duration: Double { end - start }

    /// The UTC start time encoded in a segment name made with ``RecordingCommand/segmentPattern``.
    public static func startTime(ofFile name: String) -> Date? {
        let stem = (name as NSString).deletingPathExtension
        guard stem.count == 16, stem.hasSuffix("Z") else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let digits = Array(stem)
        func number(_ range: Range<Int>) -> Int? { Int(String(digits[range])) }
        guard digits[8] == "T", let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15) else { return nil }
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }
}
