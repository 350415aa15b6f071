import ArgumentParser

/// `citywatch users`: accounts and their camera groups.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage user accounts, roles and camera-group grants.",
        discussion: "Roles: administrator, operator, police, maintenance, privacy-officer.",
        subcommands: [UsersAddCommand.self, UsersListCommand.self, UsersResetPasswordCommand.self,
                      UsersSetRoleCommand.self, UsersDisableCommand.self, UsersEnableCommand.self, UsersGrantCommand.self])
}
