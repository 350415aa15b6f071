import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchStore
import Fluent
import FluentKit

/// `citywatch users list`.
struct UsersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users with role, state and camera groups.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.resolve()
        let lines = try await withStore(configuration) { app -> [String] in
            let groups = Dictionary(uniqueKeysWithValues: try await CameraGroupModel.query(on: app.db).all().map { ($0.id!, $0.name) })
            let grants = try await configuration.accounts(app).grants()
            return try await UserModel.query(on: app.db).sort(\.$username).all().map { user in
                let state = user.disabled ? "disabled" : (user.mustChangePassword ? "must change password" : "active")
                let names = (grants[user.id!] ?? []).compactMap { groups[$0] }.sorted().joined(separator: ", ")
                return "\(user.username.padding(toLength: 20, withPad: " ", startingAt: 0)) \(user.role.padding(toLength: 15, withPad: " ", startingAt: 0)) \(state.padding(toLength: 21, withPad: " ", startingAt: 0)) \(names.isEmpty ? "-" : names)"
            }
        }
        print("NAME                 ROLE            STATE                 GROUPS")
        lines.forEach { print($0) }
    }
}
