import ArgumentParser

/// `citywatch`: the executable CityWatch ships (the benchmarks are `citywatch-bench`, built apart).
@main
struct CityWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citywatch",
        abstract: "CityWatch — a city CCTV control center: camera registry and map, recording, live wall, analytics, smart search, playback, evidence export, users, roles and audit.",
        discussion: "Settings come from flags, then the environment (CITYWATCH_DATABASE_URL, CITYWATCH_DATA_DIR, CITYWATCH_HTTP_ADDRESS, …), then an optional file given with --config (NAME=value lines). Without any, CityWatch keeps its SQLite database in ./.citywatch/.",
        subcommands: [ServeCommand.self, DemoCommand.self, CamerasCommand.self, BellsCommand.self, PartnersCommand.self, UsersCommand.self, GroupsCommand.self,
                      AuditCommand.self, ArchiveCommand.self, SearchCommand.self, ExportCommand.self, ProvisionCommand.self, SyntheticCommand.self, EvalCommand.self,
                      OpenAPICommand.self])
}

extension CityWatchCommand {
    /// As ArgumentParser's own, except that a store error says what the store said: PostgresNIO's
    /// errors describe themselves only as "Generic description…" unless reflected.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: StoreErrorText.readable(error))
        }
    }
}

/// An error whose plain description hides what went wrong, shown by its reflection instead.
struct StoreErrorText: Error, CustomStringConvertible {
    var description: String

    static func readable(_ error: any Error) -> any Error {
        String(describing: type(of: error)) == "PSQLError" ? StoreErrorText(description: String(reflecting: error)) : error
    }
}
