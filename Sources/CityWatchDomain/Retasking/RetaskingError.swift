import Foundation

/// Why a camera cannot be re-tasked or reverted.
public enum RetaskingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The reason, trimmed, is not 3–500 characters long (its length is given).
    case reasonLength(Int)
    /// The duration is outside 5 minutes … 24 hours.
    case duration(minutes: Int)
    /// The purpose asked for is not one a camera can be switched to (its code is given).
    case unsupportedTarget(String)
    /// The camera's registry purpose is not parking or traffic enforcement.
    case notParkingCamera(CameraPurpose)
    /// The camera is re-tasked to another purpose already.
    case alreadyRetasked(to: CameraPurpose, until: Date)
    /// A revert was asked for a camera that is not re-tasked (never, or reverted already).
    case notRetasked

    /// The field a request got wrong, for the ones that are the request's fault.
    public var field: String? {
        switch self {
        case .reasonLength: "reason"
        case .duration: "minutes"
        case .unsupportedTarget: "to"
        case .notParkingCamera, .alreadyRetasked, .notRetasked: nil
        }
    }

    public var description: String {
        switch self {
        case .reasonLength(let count):
            "field 'reason' must say why, in \(RetaskingPolicy.reasonLength.lowerBound)–\(RetaskingPolicy.reasonLength.upperBound) characters (got \(count))"
        case .duration(let minutes):
            "field 'minutes' must be \(RetaskingPolicy.minimumMinutes)–\(RetaskingPolicy.maximumMinutes) (5 minutes to 24 hours), got \(minutes)"
        case .unsupportedTarget(let code):
            "field 'to' must be \(RetaskingPolicy.targets.map { "'\($0.code)'" }.joined(separator: " or ")) (crime watch), got '\(code.prefix(40))'"
        case .notParkingCamera(let purpose):
            "the camera's registry purpose is \(purpose.koreanName.isEmpty ? "empty" : purpose.koreanName) (\(purpose.englishName)): only parking and traffic enforcement cameras (교통단속, 주정차단속) can be switched to crime watch"
        case .alreadyRetasked(let purpose, _):
            "the camera is re-tasked to \(purpose.code) already; revert it first"
        case .notRetasked:
            "the camera is not re-tasked (never, or it has reverted already)"
        }
    }
}
