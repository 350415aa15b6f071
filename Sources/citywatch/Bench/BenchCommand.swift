import ArgumentParser

/// `citywatch bench`: measured figures for BENCHMARKS.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure performance: geo queries, registry import, API under load, recording, live video, export, analytics, smart search, cast-net, alarms.",
        subcommands: [BenchGeoCommand.self, BenchImportCommand.self, BenchAPICommand.self, BenchRecordCommand.self, BenchLiveCommand.self, BenchLiveViewersCommand.self, BenchExportCommand.self, BenchAnalyticsCommand.self, BenchSearchCommand.self, BenchCastNetCommand.self, BenchAlarmsCommand.self, BenchAlarmRateCommand.self, BenchProfilesCommand.self])
}
