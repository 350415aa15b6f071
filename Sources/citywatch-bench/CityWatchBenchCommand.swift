import ArgumentParser

/// `citywatch-bench`: measured figures for BENCHMARKS.md, in an executable of its own so the
/// shipped `citywatch` carries neither the benchmarks nor their baselines' libraries
/// (SwiftGraph, hdrhistogram-swift).
@main
struct CityWatchBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citywatch-bench",
        abstract: "Measure performance: geo queries, registry import, API under load, recording, live video, export, analytics, smart search, cast-net, alarms, a cluster of nodes and its failover.",
        discussion: "The benchmarks that run a server (api, live, cluster, failover) or an import (import) start the `citywatch` built beside this program; cluster and failover also take --citywatch PATH.",
        subcommands: [BenchGeoCommand.self, BenchImportCommand.self, BenchAPICommand.self, BenchRecordCommand.self, BenchLiveCommand.self, BenchLiveViewersCommand.self, BenchExportCommand.self, BenchAnalyticsCommand.self, BenchSearchCommand.self, BenchCastNetCommand.self, BenchAlarmsCommand.self, BenchAlarmRateCommand.self, BenchProfilesCommand.self,
                      BenchClusterCommand.self, BenchFailoverCommand.self, BenchTiersCommand.self])
}
