import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

/// Finds a user by name or answers with a clear error.
func requireUser(_ name: String, in app: Application) async throws -> UserModel {
    guard let user = try await UserModel.query(on: app.db).filter(\.$username == name.lowercased()).first() else {
        throw ValidationError("no user named '\(name)'")
    }
    return user
}

/// `citywatch users reset-password NAME`.
struct UsersResetPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password", abstract: "Give a user a new generated password (to change at next login); ends their sessions.")

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(help: "User name.") var name: String

    func run() async throws {
        let configuration = try store.resolve()
        let name = name
        let password = try await withStore(configuration) { app in
            let user = try await requireUser(name, in: app)
            return try await configuration.accounts(app).resetPassword(userID: user.requireID(), actor: commandLineActor).1
        }
        print("New password for \(name.lowercased()): \(password)\nShown once; it must be changed at the next login.")
    }
}

/// `citywatch users set-role NAME ROLE`.
struct UsersSetRoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change a user's role.")

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(help: "User name.") var name: String
    @ArgumentParser.Argument(help: "administrator, operator, police, maintenance or privacy-officer.") var role: Role

    func run() async throws {
        let configuration = try store.resolve()
        let (name, role) = (name, role)
        try await withStore(configuration) { app in
            let user = try await requireUser(name, in: app)
            do { _ = try await configuration.accounts(app).update(userID: user.requireID(), role: role, disabled: nil, actor: commandLineActor) }
            catch let error as AccountError { throw ValidationError(error.description) }
        }
        print("\(name.lowercased()) is now \(role.rawValue).")
    }
}

/// `citywatch users disable NAME`.
struct UsersDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable an account and end its sessions.")

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(help: "User name.") var name: String

    func run() async throws {
        try await setDisabled(true, name: name, store: store)
        print("\(name.lowercased()) is disabled.")
    }
}

/// `citywatch users enable NAME`.
struct UsersEnableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled account.")

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(help: "User name.") var name: String

    func run() async throws {
        try await setDisabled(false, name: name, store: store)
        print("\(name.lowercased()) is enabled.")
    }
}

private func setDisabled(_ disabled: Bool, name: String, store: StoreOptions) async throws {
    let configuration = try store.resolve()
    try await withStore(configuration) { app in
        let user = try await requireUser(name, in: app)
        do { _ = try await configuration.accounts(app).update(userID: user.requireID(), role: nil, disabled: disabled, actor: commandLineActor) }
        catch let error as AccountError { throw ValidationError(error.description) }
    }
}

/// `citywatch users grant NAME GROUP…`.
struct UsersGrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Set the camera groups a user may see (replaces earlier grants; none clears them).")

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(help: "User name.") var name: String
    @ArgumentParser.Argument(help: "Camera group names.") var groups: [String] = []

    func run() async throws {
        let configuration = try store.resolve()
        let (name, groups) = (name, groups)
        try await withStore(configuration) { app in
            let user = try await requireUser(name, in: app)
            var ids: [UUID] = []
            for group in groups {
                guard let model = try await CameraGroupModel.query(on: app.db).filter(\.$name == group).first() else {
                    throw ValidationError("no camera group named '\(group)' (see: citywatch groups list)")
                }
                ids.append(try model.requireID())
            }
            _ = try await configuration.accounts(app).setGroups(userID: user.requireID(), groupIDs: ids, actor: commandLineActor)
        }
        print(groups.isEmpty ? "\(name.lowercased()) has no camera groups." : "\(name.lowercased()) may see: \(groups.joined(separator: ", ")).")
    }
}
