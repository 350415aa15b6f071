import ArgumentParser

/// `citywatch`: the executable CityWatch ships (the benchmarks are `citywatch-bench`, built apart).
@main
struct CityWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citywatch",
        abstract: "CityWatch — a city CCTV control center: camera registry and map, recording, live wall, analytics, smart search, playback, evidence export, users, roles and audit.",
        discussion: "Settings come from flags, then the environment (CITYWATCH_DATABASE_URL, CITYWATCH_DATA_DIR, CITYWATCH_HTTP_ADDRESS, …), then an optional file given with --config (NAME=value lines). Without any, CityWatch keeps its SQLite database in ./.citywatch/.",
        subcommands: [ServeCommand.self, DemoCommand.self, CamerasCommand.self, BellsCommand.self, PartnersCommand.self, UsersCommand.self, GroupsCommand.self,
                      AuditCommand.self, SearchCommand.self, ExportCommand.self, ProvisionCommand.self, SyntheticCommand.self, EvalCommand.self,
                      OpenAPICommand.self])
}
