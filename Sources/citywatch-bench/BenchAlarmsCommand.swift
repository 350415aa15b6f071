import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchStore
import Fluent
import Foundation

/// `citywatch-bench alarms`: a burst of false alarms dismissed at once, as one bulk action
/// (one read, one transaction with its audit entries) against the same dismissals one by one.
struct BenchAlarmsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alarms",
        abstract: "Bulk alarm dismissal: one bulk action against the same alarms dismissed one at a time.",
        discussion: "Each run raises --alarms alarms, dismisses them one by one (the baseline), raises as many again and dismisses them in one bulk action; prints the time of each and their ratio. Uses a temporary SQLite file, or --database-url (e.g. a throwaway PostgreSQL).")

    @Option(help: "Alarms in the burst (the bulk action takes at most 500).") var alarms = 500
    @Option(help: "Runs (the median is reported).") var runs = 5
    @Option(help: "Database URL (default: a temporary SQLite file).") var databaseURL: String?

    func validate() throws {
        guard (1...500).contains(alarms), runs > 0 else { throw ValidationError("--alarms must be 1–500 and --runs positive") }
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-bench-alarms-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = try Configuration.resolve(flags: [.dataDirectory: folder, .databaseURL: databaseURL ?? "sqlite://\(folder)/alarms.sqlite"])
        let (count, runs) = (alarms, runs)
        let store: String
        if case .postgres = configuration.database { store = "PostgreSQL" } else { store = "SQLite" }
        try await withStore(configuration) { app in
            let service = IncidentService(database: app.db, center: AlarmCenter())
            let camera = UUID()
            func burst() async throws -> [UUID] {
                var ids: [UUID] = []
                for index in 0..<count {
                    ids.append(try await service.raise(Alarm(source: .analytics, priority: .normal, title: "오탐 \(index)", cameraIDs: [camera],
                                                             raisedAt: Date())).id)
                }
                return ids
            }
            var single: [Double] = [], bulk: [Double] = []
            for run in 1...runs {
                let clock = ContinuousClock()
                let one = try await burst()
                var began = clock.now
                for id in one { _ = try await service.act(.dismiss, alarm: id, by: "bench", note: "센서 오작동") }
                single.append(BenchAnalyticsCommand.seconds(began.duration(to: clock.now)) * 1_000)
                let all = try await burst()
                began = clock.now
                let outcomes = try await service.act(.dismiss, alarms: all, by: "bench", note: "센서 오작동")
                bulk.append(BenchAnalyticsCommand.seconds(began.duration(to: clock.now)) * 1_000)
                guard outcomes.allSatisfy({ (try? $0.outcome.get()) != nil }) else { throw ValidationError("a bulk dismissal was refused") }
                print(String(format: "  run %d: one by one %.0f ms, bulk %.0f ms", run, single.last!, bulk.last!))
            }
            let (s, b) = (Self.median(single), Self.median(bulk))
            print("\nalarms: \(count) dismissed on \(store), median of \(runs) runs\n")
            print("| what | time | baseline (one by one) | ratio (baseline ÷ this) |")
            print("|---|---|---|---|")
            print(String(format: "| bulk dismissal of %d alarms (with an audit entry each) | %.0f ms | %.0f ms | %.1f× |", count, b, s, s / b))
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
