import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import Fluent

/// `citywatch partners add NAME`.
struct PartnersAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register a partner; prints its secret once (only a digest is stored).",
        discussion: "The partner sends the secret as `Authorization: Bearer SECRET` with every POST /api/platform/events.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Partner name: 2–64 letters, digits, '-', '_' or '.' (e.g. seoul-112).", valueName: "name"))
    var name: String

    func run() async throws {
        let configuration = try store.resolve()
        let name = name
        let (partner, secret) = try await withStore(configuration) { app in
            do { return try await PlatformPartners(database: app.db).add(name, by: commandLineActor) } catch let problem as PlatformPartners.Problem {
                throw ValidationError(problem.description)
            }
        }
        print("Added partner \(partner.name).\nsecret: \(secret)\nShown once: give it to the partner; send it as Authorization: Bearer.")
    }
}
