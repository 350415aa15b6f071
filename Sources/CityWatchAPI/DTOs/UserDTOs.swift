import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

/// A user as the API shows it (never the password hash).
struct UserDTO: Content {
    var id: UUID
    var username: String
    var role: String
    var mustChangePassword: Bool
    var disabled: Bool
    var groupIds: [UUID]
    var createdAt: Date

    init(_ user: UserModel, groupIDs: [UUID] = []) throws {
        id = try user.requireID()
        username = user.username
        role = user.role
        mustChangePassword = user.mustChangePassword
        disabled = user.disabled
        self.groupIds = groupIDs
        createdAt = user.createdAt
    }
}

/// `POST /api/login`.
struct LoginRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["username", "password"]
    var username: String
    var password: String
}

/// The answer to a login or `GET /api/session`.
struct SessionDTO: Content {
    var user: UserDTO
    var csrfToken: String
}

/// `POST /api/session/password`.
struct PasswordChangeRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["currentPassword", "newPassword"]
    var currentPassword: String
    var newPassword: String
}

/// `POST /api/users`.
struct CreateUserRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["username", "role"]
    var username: String
    var role: String
}

/// A user with a password shown once.
struct UserWithPasswordDTO: Content {
    var user: UserDTO
    var password: String
}

/// `PATCH /api/users/:id`.
struct UpdateUserRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["role", "disabled"]
    var role: String?
    var disabled: Bool?
}

/// `PUT /api/users/:id/groups`.
struct SetGroupsRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["groupIds"]
    var groupIds: [UUID]
}

/// A camera group.
struct GroupDTO: Content {
    var id: UUID
    var name: String
    var description: String
    var rule: CameraGroupRule
    var cameraCount: Int
}

/// `POST /api/groups`.
struct CreateGroupRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["name", "description", "rule"]
    var name: String
    var description: String?
    var rule: CameraGroupRule
}

extension Role {
    /// Parses a role from a request, or answers 400 listing the roles.
    static func require(_ name: String) throws -> Role {
        guard let role = Role(name: name) else {
            throw Abort(.badRequest, reason: "unknown role '\(name.prefix(40))' (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return role
    }
}
