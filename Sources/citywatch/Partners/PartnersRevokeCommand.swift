import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import Fluent

/// `citywatch partners revoke NAME`.
struct PartnersRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a partner: its secret is refused (401, audit-logged) from now on.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The partner's name.", valueName: "name"))
    var name: String

    func run() async throws {
        let configuration = try store.resolve()
        let name = name
        _ = try await withStore(configuration) { app in
            do { return try await PlatformPartners(database: app.db).revoke(name, by: commandLineActor) } catch let problem as PlatformPartners.Problem {
                throw ValidationError(problem.description)
            }
        }
        print("Revoked partner \(name).")
    }
}
