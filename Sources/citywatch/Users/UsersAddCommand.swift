import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain

/// `citywatch users add NAME --role R`.
struct UsersAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user; prints a generated password that must be changed at the first login.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("User name: 3–32 of a–z, 0–9, '.', '_', '-', starting with a letter.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("administrator, operator, police, maintenance or privacy-officer.", valueName: "role"))
    var role: Role

    func run() async throws {
        let configuration = try store.resolve()
        let (name, role) = (name, role)
        let password = try await withStore(configuration) { app in
            do {
                return try await configuration.accounts(app).createUser(username: name, role: role, actor: commandLineActor).1
            } catch let error as AccountError { throw ValidationError(error.description) }
        }
        print("Added \(name.lowercased()) (\(role.rawValue)).\npassword: \(password)\nShown once; it must be changed at the first login.")
    }
}

extension Role: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument)
    }
}
