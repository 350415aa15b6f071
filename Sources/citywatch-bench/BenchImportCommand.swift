import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import Foundation

/// `citywatch-bench import`: registry import throughput and memory against Python's csv + sqlite3.
struct BenchImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import throughput (rows/s) and peak memory of `cameras import` against Python's csv + sqlite3 doing the same inserts.",
        discussion: "Generates a registry file, then runs both as separate processes, alternating, into fresh SQLite files.")

    @Option(help: "Rows (sites) in the generated file.") var rows = 100_000
    @Option(help: "Timed runs of each.") var runs = 3
    @Option(help: "The Python baseline script.") var baseline = "scripts/baseline_import.py"
    @Flag(help: "Only the CityWatch import (no Python baseline).") var noBaseline = false

    func validate() throws {
        guard rows > 0, runs > 0 else { throw ValidationError("--rows and --runs must be positive") }
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-bench-import-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/registry.csv"
        let cameras = try RegistryFileGenerator(rows: rows).write(to: file)
        let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
        print("registry import: \(rows.grouped) rows, \(cameras.grouped) cameras, \(String(format: "%.1f", Double(size) / 1_048_576)) MiB UTF-8, \(runs) runs each")
        let cityWatch = try ChildProcess.cityWatchPath()
        var ours: [ChildProcess.Outcome] = [], theirs: [ChildProcess.Outcome] = []
        for run in 0..<runs {
            let a = try ChildProcess.run([cityWatch, "cameras", "import", file, "--json",
                                          "--database-url", "sqlite://\(folder)/citywatch-\(run).sqlite"], outputPath: folder + "/a.out")
            guard a.status == 0 else { throw ValidationError("citywatch import failed: \((try? String(contentsOfFile: folder + "/a.out.err", encoding: .utf8)) ?? "")") }
            ours.append(a)
            if !noBaseline {
                let b = try ChildProcess.run(["python3", baseline, file, "\(folder)/python-\(run).sqlite"], outputPath: folder + "/b.out")
                guard b.status == 0 else { throw ValidationError("baseline failed: \((try? String(contentsOfFile: folder + "/b.out.err", encoding: .utf8)) ?? "")") }
                theirs.append(b)
            }
        }
        func line(_ name: String, _ outcomes: [ChildProcess.Outcome]) -> Double {
            let seconds = median(outcomes.map(\.wallSeconds))
            let peak = outcomes.map(\.maxResidentKiB).max() ?? 0
            print("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) median \(String(format: "%6.2f", seconds)) s  \(String(format: "%8.0f", Double(rows) / seconds)) rows/s  peak RSS \(String(format: "%.0f", Double(peak) / 1024)) MiB")
            return seconds
        }
        let a = line("citywatch cameras import", ours)
        if !noBaseline {
            let b = line("python csv + sqlite3", theirs)
            print(String(format: "  ratio citywatch / python (time): %.2f", a / b))
        }
    }
}
