import CityWatchApp
import CityWatchDomain
import Fluent
import FluentKit
import Vapor

// Domain and application errors reach HTTP as 4xx answers whose reason says what to fix.

extension AccountError: AbortError {
    public var status: HTTPResponseStatus {
        switch self {
        case .unknownUser, .unknownGroup: .notFound
        case .usernameTaken, .groupNameTaken, .lastAdministrator: .conflict
        case .invalidUsername, .invalidGroupName, .invalidRule, .passwordRejected, .wrongCurrentPassword: .badRequest
        }
    }

    public var reason: String { description }
}

extension RegistryImporter.Failure: AbortError {
    public var status: HTTPResponseStatus {
        switch self {
        case .unreadable: .internalServerError
        default: .badRequest
        }
    }

    public var reason: String { description }
}

extension ImportReport: Content {}
