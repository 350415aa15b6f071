import ArgumentParser
import Foundation
import Histogram

/// `citywatch-bench failover`: how long a killed node's cameras go unrecorded, over repeated
/// kills, and how much footage each loses.
struct BenchFailoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failover",
        abstract: "Failover time and footage lost when a node holding N cameras is killed (SIGKILL), over repeated kills; target ≤ 15 s for every camera.",
        discussion: """
            Starts a throwaway PostgreSQL, --nodes × --cameras-per-node file cameras and --nodes `citywatch serve` nodes (capacity: every camera), and waits until each node holds its share and every camera records where it is leased. Then, --kills times: SIGKILL to the process group of the node holding the most cameras (the node and its ffmpegs at once, as when its machine dies); each of its cameras is followed in the store until a segment of it from another node is indexed. Per camera:
              • recording again: from the kill to the start of that first new segment (the segment file's start time, named to the second and rounded down, so up to 1 s early);
              • indexed: from the kill until that segment's row was written (its created_at; a segment is indexed when it closes, so this adds the segment length);
              • gap: from the end of the camera's last segment indexed before the kill to the start of the new one, also in segment lengths (the segment in flight at the kill, plus the takeover);
              • after the killed node is started again (same name and folder): whether it indexed its in-flight file, and what is then still missing.
            The killed node is started again and the cluster left to settle (every node back at its share, every camera recording at its holder) before the next kill. p50 and max are over every camera of every kill (hdrhistogram).
            The cameras move back to a restarted node at --moved-per-minute (120 here, 30 by default in the product), so a kill always finds a full node.
            When the cluster does not settle again after a restart (measured with 100 cameras a node on a 2-core machine: the survivor's own leases expire while it starts the cameras it took, and the cameras bounce between the nodes), the run stops, reports the kills measured so far, and exits 1.
            """)

    @OptionGroup var options: ClusterBenchOptions

    @Option(help: "Cameras each node holds when the cluster is settled (the cameras killed each time).") var camerasPerNode = 100
    @Option(help: "Nodes (`citywatch serve` processes); the survivors of a kill take its cameras (2 here: three nodes of 100 cameras are more than the 2-core machine holds).") var nodes = 2
    @Option(help: "Kills (each followed by a restart of the killed node).") var kills = 10
    @Option(help: "The failover target for every camera, in seconds (recording again).") var targetSeconds = 15.0

    func validate() throws {
        guard camerasPerNode >= 1 else { throw ValidationError("--cameras-per-node must be at least 1") }
        guard (2...16).contains(nodes) else { throw ValidationError("--nodes must be 2–16: a failover needs a survivor") }
        guard kills >= 1 else { throw ValidationError("--kills must be at least 1") }
    }

    func run() async throws {
        print("machine: \(MachineState.description); load average \(MachineState.loadAverage) at the start, \(Date())")
        let (perNode, nodes, kills) = (camerasPerNode, nodes, kills)
        let total = perNode * nodes
        let names = (1...nodes).map { "node-\($0)" }
        let (results, stopped) = try await BenchCluster.run(options: options, label: "failover", movedPerMinute: 120) { cluster -> ([FailoverKill], String?) in
            let options = cluster.options
            try await cluster.makeClip()
            try await cluster.startPostgres()
            try await cluster.makeCameras(total)
            print("failover: \(nodes) nodes × \(perNode) cameras, \(options.segmentSeconds) s segments, \(options.leaseSeconds) s leases, \(cluster.movedPerMinute) cameras moved a minute to a node that joins, analysis frames off")
            for name in names { try cluster.startNode(name, capacity: total) }
            let (settled, lapsed) = try await Self.waitSettled(cluster, names: names, perNode: perNode, what: "the cluster to settle")
            print(String(format: "  settled after %.1f s (at most %d leases expired under their holder at once meanwhile)", settled, lapsed))
            var results: [FailoverKill] = [], lastKilled: [String: Int] = [:]
            for number in 1...kills {
                let held = Dictionary(grouping: try await cluster.store.holders().values, by: { $0 }).mapValues(\.count)
                // The fullest node; among equals, the one killed longest ago.
                let victim = names.max { (held[$0, default: 0], -lastKilled[$0, default: 0]) < (held[$1, default: 0], -lastKilled[$1, default: 0]) }!
                lastKilled[victim] = number
                var kill = try await FailoverKill.run(cluster, number: number, node: victim,
                                                      timeout: Double(options.leaseSeconds * 3 + options.segmentSeconds * 2) + 60 + Double(perNode) * 0.3)
                Self.printKill(kill, segmentSeconds: options.segmentSeconds)
                try cluster.startNode(victim, capacity: total)
                do {
                    (kill.resettled, kill.lapsedWhileResettling) = try await Self.waitSettled(cluster, names: names, perNode: perNode,
                                                                                              what: "kill \(number): the cluster to settle again")
                } catch let failure as BenchFailure {
                    // What was measured so far is kept: the report says where and why it stopped.
                    results.append(kill)
                    return (results, failure.description)
                }
                try await kill.readAdoptedInFlightFiles(try cluster.store)
                let adopted = kill.cameras.filter { $0.inFlightAdoptedEnd != nil }.count
                print(String(format: "    %@ started again, settled after %.1f s; it indexed its in-flight file for %d of its %d cameras",
                             victim, kill.resettled, adopted, kill.cameras.count))
                results.append(kill)
            }
            return (results, nil)
        }
        report(results, segmentSeconds: options.segmentSeconds, leaseSeconds: options.leaseSeconds)
        print("load average at the end: \(MachineState.loadAverage)")
        if let stopped {
            print("\nstopped after kill \(results.count) of \(kills): \(stopped)")
            throw ExitCode(1)
        }
    }

    /// Waits until every camera is leased, every node holds at least its share and every camera
    /// has a segment indexed by its holder since it took it. Returns the seconds it took and the
    /// most leases seen expired under a running holder at once meanwhile.
    static func waitSettled(_ cluster: BenchCluster, names: [String], perNode: Int, what: String) async throws -> (seconds: Double, mostLapsed: Int) {
        let store = try cluster.store, total = perNode * names.count
        var mostLapsed = 0
        let seconds = try await Waiting.waitUntil(what, timeout: 120 + Double(cluster.options.leaseSeconds * 3) + Double(total) * 0.3,
                                           context: { names.map { "\($0): \(cluster.logTail($0))" }.joined(separator: "\n") }) {
            var held: [String: Int] = [:], recording = 0, lapsed = 0
            for row in try await store.rows("""
                SELECT l.node, count(*) FILTER (WHERE l.expires_at > now()), count(*) FILTER (WHERE l.expires_at > now() AND EXISTS (SELECT 1 FROM segments s
                    WHERE s.camera_id = l.camera_id AND s.node = l.node AND s.created_at > l.acquired_at)), count(*) FILTER (WHERE l.expires_at <= now())
                FROM camera_leases l WHERE l.node <> '' GROUP BY l.node
                """) where row.count == 4 {
                held[row[0]] = Int(row[1]) ?? 0
                recording += Int(row[2]) ?? 0
                // A dead node's leases expire by design; a running node's should not.
                if cluster.node(row[0])?.isRunning == true { lapsed += Int(row[3]) ?? 0 }
            }
            mostLapsed = max(mostLapsed, lapsed)
            if let dead = names.first(where: { cluster.node($0)?.isRunning != true }) {
                throw BenchFailure("node \(dead) ended: \(cluster.logTail(dead))")
            }
            let leased = held.values.reduce(0, +)
            let done = leased == total && recording == total && names.allSatisfy { held[$0, default: 0] >= perNode }
            return (done, "\(leased)/\(total) leased (" + names.map { "\($0) \(held[$0, default: 0])" }.joined(separator: ", ")
                    + "), \(recording) recording at their holder, \(lapsed) expired under a running holder")
        }
        return (seconds, mostLapsed)
    }

    private static func printKill(_ kill: FailoverKill, segmentSeconds: Int) {
        let again = kill.cameras.map(\.recordingAgain).sorted(), indexed = kill.cameras.map(\.indexed).sorted(), gap = kill.cameras.map(\.gap).sorted()
        print(String(format: "    recording again: median %.1f s, max %.1f s; indexed: median %.1f s, max %.1f s; gap: median %.1f s (%.2f segments), max %.1f s",
                     median(again), again.last ?? .nan, median(indexed), indexed.last ?? .nan, median(gap), median(gap) / Double(segmentSeconds), gap.last ?? .nan))
    }

    private func report(_ kills: [FailoverKill], segmentSeconds: Int, leaseSeconds: Int) {
        func histogram(_ values: [Double]) -> Histogram<UInt64> {
            var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: .three)
            for value in values where value.isFinite { histogram.record(UInt64(max(0, value) * 1000)) }
            return histogram
        }
        func line(_ label: String, _ values: [Double], unit: Double = 1, suffix: String = " s") {
            let h = histogram(values)
            let figures = [("p50", h.valueAtPercentile(50)), ("p90", h.valueAtPercentile(90)), ("max", h.max)]
                .map { String(format: "%@ %.2f", $0.0, Double($0.1) / 1000 / unit) + suffix }
            print("  " + label.padding(toLength: 46, withPad: " ", startingAt: 0) + " " + figures.joined(separator: ", "))
        }
        let cameras = kills.flatMap(\.cameras)
        print("\nresults: \(kills.count) kills, \(cameras.count) failed-over cameras (\(nodes) nodes, \(camerasPerNode) cameras on the killed node, \(leaseSeconds) s leases, \(segmentSeconds) s segments)")
        line("recording again (kill → new segment starts)", cameras.map(\.recordingAgain))
        line("indexed (kill → new segment's row)", cameras.map(\.indexed))
        line("gap in the index (last segment → new one)", cameras.map(\.gap))
        line("  in segments of \(segmentSeconds) s", cameras.map(\.gap), unit: Double(segmentSeconds), suffix: " segments")
        line("  of which in flight at the kill", cameras.map(\.inFlight))
        let adopted = cameras.filter { $0.inFlightAdoptedEnd != nil }
        print("  in-flight files indexed by the killed node once back: \(adopted.count) of \(cameras.count)")
        // The footage indexed before the kill ended at newStart − gap; an adopted file can only add to it.
        line("footage missing after that", cameras.map { $0.newStart - max($0.inFlightAdoptedEnd ?? -.infinity, $0.newStart - $0.gap) })
        print("  per kill, worst camera recording again: " + kills.map { String(format: "%.1f", $0.cameras.map(\.recordingAgain).max() ?? .nan) }.joined(separator: ", ") + " s")
        print("  per kill, settled again after the restart: " + kills.map { $0.resettled.isNaN ? "never" : String(format: "%.0f s", $0.resettled) }.joined(separator: ", "))
        print("  per kill, most survivors' leases expired at once during the takeover: " + kills.map { "\($0.survivorsLapsed)" }.joined(separator: ", ")
              + "; while the killed node came back: " + kills.map { "\($0.lapsedWhileResettling)" }.joined(separator: ", "))
        let worst = cameras.map(\.recordingAgain).max() ?? .nan
        print(String(format: "  target: every camera recording again within %.0f s: %@ (max %.1f s)", targetSeconds, worst <= targetSeconds ? "met" : "NOT met", worst))
    }
}
