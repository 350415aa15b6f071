import Foundation

/// Why a provision request, a decision on it or its masking cannot be accepted. Each case
/// names the field at fault so the console can point at it.
public enum ProvisionProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required text field is empty or too long (`field`, its allowed length).
    case badText(field: String, maximum: Int)
    /// `legalBasis` is `other` but `legalBasisDetail` does not say which law.
    case legalBasisDetailRequired
    /// No camera named.
    case noCameras
    /// More cameras than one request may name.
    case tooManyCameras(maximum: Int)
    /// `from` is not before `to`.
    case badRange
    /// The range is longer than one request may cover.
    case rangeTooLong(hours: Int)
    /// The request is not in a state that allows this (`action` on a `status` request).
    case wrongState(action: String, status: ProvisionStatus)
    /// Only a privacy officer decides on a request.
    case approverNotPrivacyOfficer
    /// The person who filed the request may not decide on it.
    case approverIsRequester
    /// A refusal needs a reason.
    case refusalReasonRequired
    /// Masking box `index` is on a camera the request does not name.
    case boxCameraNotInRequest(index: Int, cameraId: UUID)
    /// Masking box `index` reaches outside the picture (0...1).
    case boxOutsidePicture(index: Int)
    /// Masking box `index` is smaller than 1 % of the picture on a side.
    case boxTooSmall(index: Int)
    /// Masking box `index` ends before it starts.
    case boxBadTimeSpan(index: Int)
    /// Masking box `index` is blurred outside the request's range.
    case boxOutsideRange(index: Int)
    /// Too many boxes for one request.
    case tooManyBoxes(maximum: Int)
    /// A data-subject request's answer is not one of answered, refused or extended.
    case badAnswer(String)
    /// A data-subject request was already closed, or extended twice.
    case subjectRequestClosed
    /// The masking boxes were changed while the export ran; it did not blur the new ones.
    case boxesChanged
    /// The view log of the period asked for is longer than one CSV holds.
    case viewLogTooLong(maximum: Int)

    public var description: String {
        switch self {
        case let .badText(field, maximum): "\(field): required, at most \(maximum) characters"
        case .legalBasisDetailRequired: "legalBasisDetail: name the law and article when legalBasis is 'other'"
        case .noCameras: "cameraIds: name at least one camera"
        case .tooManyCameras(let maximum): "cameraIds: at most \(maximum) cameras in one request"
        case .badRange: "to: the range must end after it starts"
        case .rangeTooLong(let hours): "to: a request may cover at most \(hours) hours"
        case let .wrongState(action, status): "status: cannot \(action) a request that is \(status.rawValue)"
        case .approverNotPrivacyOfficer: "only a privacy officer approves or refuses a provision request"
        case .approverIsRequester: "the person who filed the request may not approve or refuse it"
        case .refusalReasonRequired: "reason: say why the request is refused (3–500 characters)"
        case let .boxCameraNotInRequest(index, cameraId): "boxes[\(index)].cameraId: camera \(cameraId) is not in the request"
        case .boxOutsidePicture(let index): "boxes[\(index)].box: the box must lie within the picture (0...1)"
        case .boxTooSmall(let index): "boxes[\(index)].box: width and height must be at least 0.01 of the picture"
        case .boxBadTimeSpan(let index): "boxes[\(index)].to: the box's time span must end after it starts"
        case .boxOutsideRange(let index): "boxes[\(index)].from: the box's time span must lie within the request's range"
        case .tooManyBoxes(let maximum): "boxes: at most \(maximum) boxes"
        case .badAnswer(let text): "outcome: '\(text.prefix(40))' is not answered, refused or extended"
        case .subjectRequestClosed: "status: the request is already closed (or was extended once already)"
        case .viewLogTooLong(let maximum): "since: the period holds more than \(maximum) views; ask for shorter periods (since, until)"
        case .boxesChanged: "boxes: the boxes to blur changed while the export ran, so it does not blur them; export again"
        }
    }
}

extension ProvisionProblem {
    /// `value` trimmed; throws ``badText(field:maximum:)`` when it is longer than `maximum`
    /// characters, or empty and `required`.
    static func checkedText(_ value: String, _ field: String, maximum: Int, required: Bool = true) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= maximum, !required || !trimmed.isEmpty else { throw ProvisionProblem.badText(field: field, maximum: maximum) }
        return trimmed
    }
}
