import ArgumentParser
import Foundation

/// `citywatch-bench cluster`: cameras recorded by a cluster of `citywatch serve` nodes on one
/// machine, against plain ffmpeg recording the same streams.
struct BenchClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Time until every camera records, CPU and memory per camera and store writes per second, for N cameras on a cluster of nodes, against plain ffmpeg.",
        discussion: """
            Starts a throwaway PostgreSQL (scripts/start-postgres.sh), puts N cameras in it that stream one generated H.264 clip in a loop (a file stream read at its own rate, -re), and starts --nodes `citywatch serve` processes on it, each a node with capacity N, analysis frames off. Measured:
              • time from starting the nodes until every camera is leased, and until every camera's first segment began and was indexed (read from the store);
              • over --seconds of steady recording: CPU (utime+stime from /proc of each node and every ffmpeg it runs), memory (PSS and RSS from /proc/PID/smaps_rollup), PostgreSQL's CPU, and store writes per second (pg_stat_database: commits and rows inserted and updated);
              • whether the cluster kept up: video indexed over the stretch against cameras × its length, gaps, health changes.
            Baseline, in the same run after the nodes are killed: N plain ffmpegs with the recorder's own arguments (segments, segment list; no live output), measured the same way. Ratios are CityWatch ÷ plain.
            Every process started here ends with the benchmark, also on an error or Ctrl-C; the end checks /proc for leftovers.
            """)

    @OptionGroup var options: ClusterBenchOptions

    @Option(help: "Cameras, shared out among the nodes.") var cameras = 60
    @Option(help: "Nodes (`citywatch serve` processes) on the one machine.") var nodes = 3
    @Option(help: "Seconds of steady recording measured, for the cluster and again for the baseline.") var seconds = 60
    @Option(help: "Seconds of recording between the last camera starting and the measured stretch.") var settle = 10
    @Flag(help: "Leave out the plain ffmpeg baseline.") var noBaseline = false

    func validate() throws {
        guard cameras >= 1 else { throw ValidationError("--cameras must be at least 1") }
        guard (1...16).contains(nodes) else { throw ValidationError("--nodes must be 1–16, not \(nodes)") }
        guard seconds >= 10 else { throw ValidationError("--seconds must be at least 10") }
        guard settle >= 0 else { throw ValidationError("--settle cannot be negative") }
    }

    func run() async throws {
        print("machine: \(MachineState.description); load average \(MachineState.loadAverage) at the start, \(Date())")
        let (cameras, nodes, seconds, settle, noBaseline) = (cameras, nodes, seconds, settle, noBaseline)
        let (measured, plain) = try await BenchCluster.run(options: options, label: "cluster", movedPerMinute: 6_000) { cluster in
            try await cluster.makeClip()
            try await cluster.startPostgres()
            try await cluster.makeCameras(cameras)
            let measured = try await ClusterRecording.measure(cluster, cameras: cameras, nodes: nodes, seconds: seconds, settle: settle)
            let plain = noBaseline ? nil : try await PlainRecording.measure(cluster, cameras: cameras, seconds: seconds, settle: settle)
            return (measured, plain)
        }
        report(measured, plain)
        print("load average at the end: \(MachineState.loadAverage)")
    }

    private func report(_ run: ClusterRecording.Figures, _ plain: PlainRecording.Figures?) {
        let n = run.cameras, w = run.window
        func percent(_ share: Double) -> String { String(format: "%.2f %%", share * 100) }
        func ratio(_ a: Double, _ b: Double?) -> String { b.map { String(format: "%.2f×", a / $0) } ?? "—" }
        print("\nresults: \(n) cameras on \(run.nodes) nodes (\(run.heldPerNode.sorted { $0.key < $1.key }.map { "\($0.value)" }.joined(separator: " + ")))")
        print(String(format: "  until every camera is leased: %.1f s; its first segment began: median %.1f s, last %.1f s; indexed: median %.1f s, last %.1f s",
                     run.allLeased, run.firstSegmentStart.median, run.firstSegmentStart.last, run.firstSegmentIndexed.median, run.firstSegmentIndexed.last))
        if let plain { print(String(format: "  baseline: every plain ffmpeg has closed its first segment after %.1f s", plain.allRecording)) }
        func row(_ label: String, _ value: String, _ baseline: String = "", _ ratio: String = "") {
            print("    " + [label.padding(toLength: 33, withPad: " ", startingAt: 0), value.padding(toLength: 15, withPad: " ", startingAt: 0),
                          baseline.padding(toLength: 14, withPad: " ", startingAt: 0), ratio].joined(separator: " "))
        }
        func mebibytes(_ value: Double) -> String { String(format: "%.1f MiB", value) }
        print("  per camera")
        row("", "CityWatch", plain == nil ? "" : "plain ffmpeg", plain == nil ? "" : "ratio")
        let share = w.corePerCamera(n), withStore = w.corePerCameraWithStore(n), plainShare = plain.map { $0.window.corePerCamera(n) }
        row("CPU, nodes + their ffmpegs", percent(share) + " core", plainShare.map(percent) ?? "", ratio(share, plainShare))
        row("  of which ffmpegs", percent(w.ffmpegCPU / w.seconds / Double(n)) + " core")
        row("CPU with PostgreSQL", percent(withStore) + " core", plainShare.map(percent) ?? "", ratio(withStore, plainShare))
        let pss = w.pssPerCamera(n), plainPSS = plain.map { $0.window.pssPerCamera(n) }
        row("memory PSS, nodes + ffmpegs", mebibytes(pss), plainPSS.map(mebibytes) ?? "", ratio(pss, plainPSS))
        row("  of which ffmpegs", mebibytes(Double(w.memory.ffmpegPSSKiB) / 1024 / Double(n)))
        let rss = w.rssPerCamera(n), plainRSS = plain.map { $0.window.rssPerCamera(n) }
        row("memory RSS (shared pages in each)", mebibytes(rss), plainRSS.map(mebibytes) ?? "", ratio(rss, plainRSS))
        print(String(format: "  in all: the %d nodes' own PSS %.0f MiB, their ffmpegs' %.0f MiB, PostgreSQL's %.0f MiB (%.2f cores while measured)", run.nodes,
                     Double(w.memory.pssKiB - w.memory.ffmpegPSSKiB) / 1024, Double(w.memory.ffmpegPSSKiB) / 1024, Double(w.postgresMemory.pssKiB) / 1024,
                     w.postgresCPU / w.seconds))
        let d = run.writes, s = w.seconds
        print(String(format: "  store writes: %.1f commits/s, %.1f rows inserted/s, %.1f rows updated/s, %.1f deleted/s (%.3f commits/s per camera)",
                     d.commits / s, d.inserted / s, d.updated / s, d.deleted / s, d.commits / s / Double(n)))
        print(String(format: "  kept up: %.1f %% of the stretch's camera-seconds indexed, %d gaps, health changes: %@", run.coverage * 100, run.gaps,
                     run.healthChanges.isEmpty ? "none" : run.healthChanges.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        print("  leases taken again since the first claim (epoch above 1): \(run.leasesRetaken), \(run.leasesRetakenWhileMeasured) of them while measured; "
              + "most leases expired under a running holder at once while starting: \(run.mostLapsedAtStart)")
        print(String(format: "  machine busy while measured: %.0f %% (cluster)%@", w.machineBusy * 100, plain.map { String(format: ", %.0f %% (baseline)", $0.window.machineBusy * 100) } ?? ""))
        let cores = Double(MachineState.cores), memoryMiB = MachineState.memoryMiB
        print(String(format: "  at these costs this machine holds about %.0f cameras by CPU (%d cores, PostgreSQL included) and %.0f by memory (PSS, %.0f GiB)",
                     cores / w.corePerCameraWithStore(n), Int(cores), memoryMiB / (pss + Double(w.postgresMemory.pssKiB) / 1024 / Double(n)), memoryMiB / 1024))
    }
}
