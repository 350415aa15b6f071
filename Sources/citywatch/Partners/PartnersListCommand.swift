import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import Fluent
import Foundation

/// `citywatch partners list`.
struct PartnersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the partners (never their secrets).")

    @OptionGroup var store: StoreOptions

    @Flag(name: .customLong("json"), help: "Print the list as JSON instead of text.")
    var json = false

    func run() async throws {
        let configuration = try store.resolve()
        let partners = try await withStore(configuration) { app in try await PlatformPartners(database: app.db).list() }
        if json {
            print(try prettyJSON(partners))
            return
        }
        if partners.isEmpty { print("No partners; add one with `citywatch partners add NAME`.") }
        let formatter = ISO8601DateFormatter()
        for partner in partners {
            let state = partner.revokedAt.map { "revoked \(formatter.string(from: $0))" } ?? "active"
            print("\(partner.name)  \(state)  added \(formatter.string(from: partner.createdAt)) by \(partner.createdBy)")
        }
    }
}
