import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Vapor

/// Users and their camera groups (administrators only).
struct UserController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("api", "users")
        let admin = Access.only(.administrator)
        users.endpoint(.GET, access: admin, use: list)
        users.endpoint(.POST, access: admin, use: create)
        users.endpoint(.PATCH, ":id", access: admin, use: update)
        users.endpoint(.POST, ":id", "password", access: admin, use: resetPassword)
        users.endpoint(.PUT, ":id", "groups", access: admin, use: setGroups)
    }

    func list(req: Request) async throws -> [UserDTO] {
        let grants = try await req.accounts.grants()
        return try await UserModel.query(on: req.db).sort(\.$username).all()
            .map { try UserDTO($0, groupIDs: grants[try $0.requireID()] ?? []) }
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.requireUser()
        let body = try req.decodeStrict(CreateUserRequest.self)
        let (user, password) = try await req.accounts.createUser(username: body.username, role: try Role.require(body.role), actor: actor.username)
        let response = try await UserWithPasswordDTO(user: UserDTO(user), password: password).encodeResponse(for: req)
        response.status = .created
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func update(req: Request) async throws -> UserDTO {
        let actor = try req.requireUser()
        let id = try req.uuidParameter("id")
        let body = try req.decodeStrict(UpdateUserRequest.self)
        let role = try body.role.map(Role.require)
        let user = try await req.accounts.update(userID: id, role: role, disabled: body.disabled, actor: actor.username)
        req.cityWatch.access.changed()
        return try UserDTO(user, groupIDs: try await req.accounts.grants()[id] ?? [])
    }

    func resetPassword(req: Request) async throws -> Response {
        let actor = try req.requireUser()
        let (user, password) = try await req.accounts.resetPassword(userID: try req.uuidParameter("id"), actor: actor.username)
        req.cityWatch.access.changed()
        let response = try await UserWithPasswordDTO(user: UserDTO(user), password: password).encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func setGroups(req: Request) async throws -> UserDTO {
        let actor = try req.requireUser()
        let id = try req.uuidParameter("id")
        let body = try req.decodeStrict(SetGroupsRequest.self)
        let user = try await req.accounts.setGroups(userID: id, groupIDs: body.groupIds, actor: actor.username)
        req.cityWatch.access.changed()
        return try UserDTO(user, groupIDs: try await req.accounts.grants()[id] ?? [])
    }
}

/// Camera groups (administrators only).
struct GroupController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let groups = routes.grouped("api", "groups")
        let admin = Access.only(.administrator)
        groups.endpoint(.GET, access: admin, use: list)
        groups.endpoint(.POST, access: admin, use: create)
        groups.endpoint(.DELETE, ":id", access: admin, use: delete)
    }

    func list(req: Request) async throws -> [GroupDTO] {
        let snapshot = try await req.cityWatch.directory.snapshot(on: req.db)
        return try await CameraGroupModel.query(on: req.db).sort(\.$name).all().map { try Self.dto($0, snapshot: snapshot) }
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.requireUser()
        let body = try req.decodeStrict(CreateGroupRequest.self)
        let group = try await req.accounts.createGroup(name: body.name, description: body.description ?? "", rule: body.rule, actor: actor.username)
        let snapshot = try await req.cityWatch.directory.snapshot(on: req.db)
        let response = try await Self.dto(group, snapshot: snapshot).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let actor = try req.requireUser()
        try await req.accounts.deleteGroup(id: try req.uuidParameter("id"), actor: actor.username)
        req.cityWatch.access.changed()
        return .noContent
    }

    static func dto(_ group: CameraGroupModel, snapshot: CameraDirectory.Snapshot) throws -> GroupDTO {
        let rule = (try? JSONDecoder().decode(CameraGroupRule.self, from: Data(group.rule.utf8))) ?? CameraGroupRule()
        let count = CameraScope(role: .operator, rules: [rule], snapshot: snapshot).allowed?.count ?? 0
        return GroupDTO(id: try group.requireID(), name: group.name, description: group.description, rule: rule, cameraCount: count)
    }
}
