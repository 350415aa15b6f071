import CityWatchApp
import CityWatchDomain
import Foundation
import Vapor

/// `POST /api/cameras/:id/retask`.
struct RetaskRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["to", "reason", "minutes"]
    /// The purpose code to switch to; only `crimePrevention` (the default).
    var to: String?
    var reason: String
    var minutes: Int
}

/// `DELETE /api/cameras/:id/retask` (the body is optional).
struct RevertRetaskRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["reason"]
    var reason: String?
}

/// A re-tasking as the console shows it (see `RetaskingListing`).
typealias RetaskingDTO = RetaskingListing

extension RetaskingListing: Content {}

/// `GET /api/retaskings`.
struct RetaskingListDTO: Content {
    /// Re-taskings in force, earliest end first.
    var active: [RetaskingDTO]
    /// Re-taskings reverted in the last 24 hours, newest first.
    var recent: [RetaskingDTO]
}

/// What a camera or site answer carries about a re-tasking in force.
struct RetaskingBriefDTO: Content {
    var id: UUID
    var to: String
    var toText: String
    var until: Date
    var untilText: String
    var reason: String
    var by: String

    init(_ retasking: Retasking) {
        id = retasking.id
        to = retasking.toPurpose.code
        toText = retasking.toPurpose.koreanName
        until = retasking.until
        untilText = RetaskingListing.districtHourMinute(retasking.until)
        reason = retasking.reason
        by = retasking.by
    }
}

extension CameraDTO {
    /// The camera as it serves now: the registry's purpose stays in `purpose`, the one it serves
    /// in `effectivePurpose`, with the re-tasking when one is in force.
    func overlaid(_ retasking: Retasking?) -> CameraDTO {
        guard let retasking else { return self }
        var copy = self
        copy.effectivePurpose = retasking.toPurpose.code
        copy.effectivePurposeText = retasking.toPurpose.koreanName
        copy.retasking = RetaskingBriefDTO(retasking)
        return copy
    }
}

extension SiteDTO {
    /// The site as it serves now: when a camera of it is re-tasked, the purpose it serves and
    /// until when (the latest end when several are).
    func overlaid(_ retaskings: [Retasking]) -> SiteDTO {
        guard let latest = retaskings.max(by: { $0.until < $1.until }) else { return self }
        var copy = self
        copy.effectivePurpose = latest.toPurpose.code
        copy.effectivePurposeText = latest.toPurpose.koreanName
        copy.retasking = RetaskingBriefDTO(latest)
        return copy
    }
}

/// A refused re-tasking as an HTTP answer: 400 for a field of the request, 409 for the camera's state.
struct RetaskingAbort: AbortError {
    var error: RetaskingError
    var status: HTTPResponseStatus { error.field == nil ? .conflict : .badRequest }
    var reason: String { error.description }
}
