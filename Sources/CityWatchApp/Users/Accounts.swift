import CityWatchDomain
import CityWatchStore
import Crypto
import FluentKit
import Foundation

/// Users, passwords, sessions and camera-group grants.
///
/// No default password exists anywhere: the first administrator and every user added later get
/// a generated password, shown once, that must be changed at the first login.
public struct Accounts: Sendable {
    let database: any Database
    let hasher: BcryptPasswordHasher
    let clock: @Sendable () -> Date
    let sessionIdleTimeout: TimeInterval
    let sessionLifetime: TimeInterval

    public init(database: any Database, hasher: BcryptPasswordHasher, sessionIdleTimeout: TimeInterval = 8 * 3600,
                sessionLifetime: TimeInterval = 12 * 3600, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.hasher = hasher
        self.clock = clock
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionLifetime = sessionLifetime
    }

    var audit: AuditLog { AuditLog(database: database, clock: clock) }

    /// Checks a user name: 3–32 of a–z, 0–9, `.`, `_`, `-`, starting with a letter.
    public static func validateUsername(_ name: String) throws(AccountError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (3...32).contains(name.count), let first = name.first, first.isLetter, first.isASCII,
              name.allSatisfy({ allowed.contains($0) })
        else { throw .invalidUsername(name) }
    }

    /// Adds a user with a generated password that must be changed at first login.
    /// Returns the user and the password (shown once, never stored).
    public func createUser(username rawName: String, role: Role, actor: String) async throws -> (UserModel, String) {
        let username = rawName.lowercased()
        try Self.validateUsername(username)
        guard try await UserModel.query(on: database).filter(\.$username == username).first() == nil else {
            throw AccountError.usernameTaken(username)
        }
        let password = PasswordPolicy.generate()
        let user = UserModel(username: username, passwordHash: try await hasher.hash(password), role: role.rawValue,
                             mustChangePassword: true, now: clock())
        try await user.create(on: database)
        try await audit.append(AuditEvent(actor: actor, action: "user.create", target: username, details: ["role": .string(role.rawValue)]))
        return (user, password)
    }

    /// On a store with no users, creates `admin` with a generated password and returns the
    /// password; returns nil when users exist. Nodes of a cluster starting together on an empty
    /// store: one creates it (under a lock every node takes), the others find it made.
    public func bootstrapAdministrator() async throws -> String? {
        guard try await UserModel.query(on: database).count() == 0 else { return nil }
        let password = PasswordPolicy.generate()
        let user = UserModel(username: "admin", passwordHash: try await hasher.hash(password), role: Role.administrator.rawValue,
                             mustChangePassword: true, now: clock())
        let created = try await database.lockedTransaction("citywatch.bootstrap-administrator") { tx in
            guard try await UserModel.query(on: tx).count() == 0 else { return false }
            try await user.create(on: tx)
            return true
        }
        guard created else { return nil }
        try await audit.append(AuditEvent(actor: "system", action: "user.create", target: "admin", details: ["role": .string(Role.administrator.rawValue)]))
        return password
    }

    /// The result of a login attempt.
    public enum LoginOutcome: Sendable {
        /// Signed in: the cookie token and the CSRF token.
        case success(UserModel, token: String, csrfToken: String)
        /// Wrong name or password, or a disabled account (the caller cannot tell which).
        case rejected
        /// Too many failures: wait this many seconds.
        case throttled(retryAfter: Int)
    }

    /// Checks a name and password, and opens a session on success. Every outcome is audited
    /// (attempts turned away by the throttle, with `refusals`, the first of a minute from one
    /// address in full and the rest summarised).
    public func login(username rawName: String, password: String, address: String, guard loginGuard: LoginGuard,
                      refusals: AnonymousRefusals? = nil) async throws -> LoginOutcome {
        let username = rawName.lowercased().trimmingCharacters(in: .whitespaces)
        let now = clock()
        // The slot is taken before bcrypt runs: parallel guesses meet the lock, not the hasher.
        if let wait = try await loginGuard.reserve(user: username, address: address, now: now, on: database) {
            let event = AuditEvent(actor: String(username.prefix(64)), action: "login.throttled", target: address,
                                   details: ["retryAfter": .int(Int64(wait.rounded(.up)))])
            if let refusals {
                try await refusals.refused(.login, client: address, kind: "throttled", event: event, audit: audit, now: now)
            } else {
                try await audit.append(event)
            }
            return .throttled(retryAfter: Int(wait.rounded(.up)))
        }
        let user = try await UserModel.query(on: database).filter(\.$username == username).first()
        let matches: Bool
        if let user {
            matches = try await hasher.verify(password, against: user.passwordHash)
        } else {
            // Spend the same bcrypt work for an unknown name so timing does not tell names apart.
            _ = try await hasher.hash(password)
            matches = false
        }
        guard let user, matches, !user.disabled else {
            let reason = user == nil ? "unknown user" : (matches ? "account disabled" : "wrong password")
            try await audit.append(AuditEvent(actor: String(username.prefix(64)), action: "login.failed", target: address,
                                              details: ["reason": .string(reason)]))
            return .rejected
        }
        try await loginGuard.succeeded(user: username, address: address, now: now, on: database)
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let session = SessionModel()
        session.tokenHash = Self.digest(token)
        session.$user.id = try user.requireID()
        session.csrfToken = csrf
        session.address = address
        session.createdAt = now
        session.lastSeenAt = now
        session.expiresAt = now.addingTimeInterval(sessionLifetime)
        try await session.create(on: database)
        try await audit.append(AuditEvent(actor: username, action: "login.succeeded", target: address))
        return .success(user, token: token, csrfToken: csrf)
    }

    /// The live session and user for a cookie token; nil when unknown, expired, idle too long
    /// or the user is disabled.
    public func session(token: String) async throws -> (SessionModel, UserModel)? {
        guard !token.isEmpty, token.count <= 128 else { return nil }
        guard let session = try await SessionModel.query(on: database).filter(\.$tokenHash == Self.digest(token))
            .with(\.$user).first() else { return nil }
        let now = clock()
        if session.expiresAt <= now || now.timeIntervalSince(session.lastSeenAt) > sessionIdleTimeout || session.user.disabled {
            try await session.delete(on: database)
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) > 60 {
            session.lastSeenAt = now
            try await session.update(on: database)
        }
        return (session, session.user)
    }

    /// Ends the session of a cookie token.
    public func logout(token: String, actor: String) async throws {
        try await SessionModel.query(on: database).filter(\.$tokenHash == Self.digest(token)).delete()
        try await audit.append(AuditEvent(actor: actor, action: "logout"))
    }

    /// Changes a user's own password after checking the current one; other sessions of the
    /// user end.
    public func changePassword(user: UserModel, current: String, new: String, keepSession: UUID?) async throws {
        guard try await hasher.verify(current, against: user.passwordHash) else { throw AccountError.wrongCurrentPassword }
        do { try PasswordPolicy.check(new, userName: user.username, current: current) } catch {
            throw AccountError.passwordRejected(error)
        }
        user.passwordHash = try await hasher.hash(new)
        user.mustChangePassword = false
        user.passwordChangedAt = clock()
        try await user.update(on: database)
        var others = SessionModel.query(on: database).filter(\.$user.$id == (try user.requireID()))
        if let keepSession { others = others.filter(\.$id != keepSession) }
        try await others.delete()
        try await audit.append(AuditEvent(actor: user.username, action: "user.password.change", target: user.username))
    }

    /// Gives a user a new generated password (to change at next login) and ends their sessions.
    public func resetPassword(userID: UUID, actor: String) async throws -> (UserModel, String) {
        guard let user = try await UserModel.find(userID, on: database) else { throw AccountError.unknownUser(userID.uuidString) }
        let password = PasswordPolicy.generate()
        user.passwordHash = try await hasher.hash(password)
        user.mustChangePassword = true
        user.passwordChangedAt = clock()
        try await user.update(on: database)
        try await SessionModel.query(on: database).filter(\.$user.$id == userID).delete()
        try await audit.append(AuditEvent(actor: actor, action: "user.password.reset", target: user.username))
        try await accessChanged()
        return (user, password)
    }

    /// Changes a user's role and/or disables or enables the account.
    public func update(userID: UUID, role: Role?, disabled: Bool?, actor: String) async throws -> UserModel {
        guard let user = try await UserModel.find(userID, on: database) else { throw AccountError.unknownUser(userID.uuidString) }
        let losesAdmin = user.role == Role.administrator.rawValue && !user.disabled
            && ((role != nil && role != .administrator) || disabled == true)
        if losesAdmin {
            let admins = try await UserModel.query(on: database)
                .filter(\.$role == Role.administrator.rawValue).filter(\.$disabled == false).count()
            if admins <= 1 { throw AccountError.lastAdministrator }
        }
        var details: [String: AuditValue] = [:]
        if let role, role.rawValue != user.role {
            details["role"] = .string(role.rawValue)
            details["previousRole"] = .string(user.role)
            user.role = role.rawValue
        }
        if let disabled, disabled != user.disabled {
            details["disabled"] = .bool(disabled)
            user.disabled = disabled
        }
        guard !details.isEmpty else { return user }
        try await user.update(on: database)
        if user.disabled { try await SessionModel.query(on: database).filter(\.$user.$id == userID).delete() }
        try await audit.append(AuditEvent(actor: actor, action: "user.update", target: user.username, details: details))
        try await accessChanged()
        return user
    }

    /// Ids of the groups granted to each user.
    public func grants() async throws -> [UUID: [UUID]] {
        let all = try await UserGroupGrantModel.query(on: database).all()
        return Dictionary(grouping: all, by: { $0.$user.id }).mapValues { $0.map(\.$group.id) }
    }

    /// The rules of the camera groups granted to a user.
    public func grantedRules(userID: UUID) async throws -> [CameraGroupRule] {
        let grants = try await UserGroupGrantModel.query(on: database).filter(\.$user.$id == userID).with(\.$group).all()
        return grants.compactMap { try? JSONDecoder().decode(CameraGroupRule.self, from: Data($0.group.rule.utf8)) }
    }

    /// Replaces a user's granted groups.
    public func setGroups(userID: UUID, groupIDs: [UUID], actor: String) async throws -> UserModel {
        guard let user = try await UserModel.find(userID, on: database) else { throw AccountError.unknownUser(userID.uuidString) }
        let unique = Array(Set(groupIDs))
        let groups = try await CameraGroupModel.query(on: database).filter(\.$id ~~ unique).all()
        if let missing = unique.first(where: { id in !groups.contains { $0.id == id } }) {
            throw AccountError.unknownGroup(missing.uuidString)
        }
        try await database.writeTransaction { tx in
            try await UserGroupGrantModel.query(on: tx).filter(\.$user.$id == userID).delete()
            for id in unique { try await UserGroupGrantModel(userID: userID, groupID: id).create(on: tx) }
        }
        try await audit.append(AuditEvent(actor: actor, action: "user.groups", target: user.username,
                                          details: ["groups": .list(groups.map { .string($0.name) }.sorted { "\($0)" < "\($1)" })]))
        try await accessChanged()
        return user
    }

    /// Adds a camera group.
    public func createGroup(name: String, description: String, rule: CameraGroupRule, actor: String) async throws -> CameraGroupModel {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...80).contains(trimmed.count) else { throw AccountError.invalidGroupName(trimmed) }
        do { try rule.validate() } catch { throw AccountError.invalidRule(error) }
        guard try await CameraGroupModel.query(on: database).filter(\.$name == trimmed).first() == nil else {
            throw AccountError.groupNameTaken(trimmed)
        }
        let group = CameraGroupModel()
        group.name = trimmed
        group.description = description
        group.rule = String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)
        group.createdAt = clock()
        try await group.create(on: database)
        try await audit.append(AuditEvent(actor: actor, action: "group.create", target: trimmed, details: ["rule": .string(group.rule)]))
        return group
    }

    /// Records in the store that users' rights may have changed: every node's open sockets
    /// re-check what their users may still see (`AccessWatch`), whichever process made the change.
    func accessChanged() async throws {
        let settings = Settings(database: database)
        // Two first-ever changes at once: one creates the row, the other's retry updates it.
        do { try await settings.set(.accessVersion, to: UUID().uuidString) } catch {
            try await settings.set(.accessVersion, to: UUID().uuidString)
        }
    }

    /// Removes a camera group and its grants.
    public func deleteGroup(id: UUID, actor: String) async throws {
        guard let group = try await CameraGroupModel.find(id, on: database) else { throw AccountError.unknownGroup(id.uuidString) }
        try await UserGroupGrantModel.query(on: database).filter(\.$group.$id == id).delete()
        try await group.delete(on: database)
        try await audit.append(AuditEvent(actor: actor, action: "group.delete", target: group.name))
        try await accessChanged()
    }

    // MARK: - Tokens

    /// 256 random bits, URL-safe base64.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }

    /// SHA-256 of a token, hex.
    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
