import Foundation

/// The measured side of the cluster benchmark: `citywatch serve` nodes on one PostgreSQL
/// recording every camera, from their start to a stretch of steady recording.
enum ClusterRecording {
    /// What one run measured.
    struct Figures {
        var nodes: Int
        var cameras: Int
        /// Seconds from starting the nodes until every camera was leased.
        var allLeased: Double
        /// Seconds from starting the nodes until every camera's first segment began (its file's
        /// start time, to the second), the median camera and the last.
        var firstSegmentStart: (median: Double, last: Double)
        /// The same until every camera's first segment was indexed (the row's creation time).
        var firstSegmentIndexed: (median: Double, last: Double)
        var heldPerNode: [String: Int]
        var window: SteadyWindow
        var writes: WriteCounters
        /// Camera-seconds of video indexed over the stretch, against cameras × its length.
        var coverage: Double
        var gaps: Int
        var healthChanges: [String: Int]
        /// Leases taken again after the first claim (epoch above 1): cameras that changed
        /// holder, or whose lease ran out and was claimed anew, since the nodes started.
        var leasesRetaken: Int
        /// Of those, taken during the measured stretch.
        var leasesRetakenWhileMeasured: Int
        /// The most leases seen expired at once while the nodes started (a holder late to renew
        /// them; nobody else may take them meanwhile).
        var mostLapsedAtStart: Int
    }

    static func measure(_ cluster: BenchCluster, cameras: Int, nodes: Int, seconds: Int, settle: Int) async throws -> Figures {
        let store = try cluster.store
        let names = (1...nodes).map { "node-\($0)" }
        print("cluster: \(nodes) nodes (`citywatch serve`, capacity \(cameras) each), \(cameras) cameras, \(cluster.options.segmentSeconds) s segments, \(cluster.options.leaseSeconds) s leases, analysis frames off")
        let start = Date()
        for name in names { try cluster.startNode(name, capacity: cameras) }
        var allLeased: Double?
        var mostLapsed = 0
        _ = try await Waiting.waitUntil("every camera recording", timeout: 90 + Double(cluster.options.leaseSeconds * 3) + Double(cameras) * 0.3,
                                        context: { names.map { "\($0): \(cluster.logTail($0))" }.joined(separator: "\n") }) {
            let counts = try await store.numbers("""
                SELECT (SELECT count(*) FROM camera_leases WHERE node <> '' AND expires_at > now()), (SELECT count(DISTINCT camera_id) FROM segments),
                       (SELECT count(*) FROM camera_leases WHERE node <> '' AND expires_at <= now())
                """)
            let leased = Int(counts[0]), recording = Int(counts[1])
            mostLapsed = max(mostLapsed, Int(counts[2]))
            if leased == cameras && allLeased == nil { allLeased = Date().timeIntervalSince(start) }
            let dead = names.filter { cluster.node($0)?.isRunning != true }
            if !dead.isEmpty { throw BenchFailure("node \(dead[0]) ended: \(cluster.logTail(dead[0]))") }
            return (recording == cameras, "\(leased)/\(cameras) leased (\(Int(counts[2])) expired under their holder), \(recording)/\(cameras) recording (first segment indexed)")
        }
        let firsts = try await store.numbers("""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s), max(s), percentile_cont(0.5) WITHIN GROUP (ORDER BY c), max(c)
            FROM (SELECT extract(epoch FROM min(start_at)) - \(start.timeIntervalSince1970) AS s,
                         extract(epoch FROM min(created_at)) - \(start.timeIntervalSince1970) AS c FROM segments GROUP BY camera_id) AS firsts
            """)
        var held: [String: Int] = [:]
        for (_, node) in try await store.holders() { held[node, default: 0] += 1 }
        print(String(format: "  every camera leased after %.1f s, recording (first segment indexed) after %.1f s; held: %@; settling %d s",
                     allLeased ?? .nan, firsts[3], held.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "), settle))
        try await Task.sleep(for: .seconds(settle))
        let groups = Set(cluster.nodeGroups.values)
        print("  measuring \(seconds) s")
        let writesBefore = try await store.writeCounters()
        let window = try await SteadyWindow.measure(seconds: seconds, groups: groups, postgres: { cluster.postgresProcesses })
        let writesAfter = try await store.writeCounters()
        guard window.memory.ffmpegs == cameras else {
            throw BenchFailure("\(window.memory.ffmpegs) ffmpegs ran under the nodes for \(cameras) cameras: the cluster did not hold one recorder per camera")
        }
        // The stretch's last segments close up to a segment later; then read what was indexed.
        try await Task.sleep(for: .seconds(cluster.options.segmentSeconds + 3))
        let (from, to) = (window.from.timeIntervalSince1970, window.to.timeIntervalSince1970)
        let covered = try await store.numbers("""
            SELECT coalesce(sum(greatest(0, extract(epoch FROM least(end_at, to_timestamp(\(to))) - greatest(start_at, to_timestamp(\(from)))))), 0)
            FROM segments WHERE end_at > to_timestamp(\(from)) AND start_at < to_timestamp(\(to))
            """)[0]
        let gaps = Int(try await store.numbers("SELECT count(*) FROM recording_gaps WHERE to_at > to_timestamp(\(from))")[0])
        var health: [String: Int] = [:]
        for row in try await store.rows("SELECT to_state, count(*) FROM camera_health_events WHERE at > to_timestamp(\(from)) AND at < to_timestamp(\(to)) GROUP BY to_state") where row.count == 2 {
            health[row[0]] = Int(row[1])
        }
        let retaken = try await store.numbers("""
            SELECT count(*) FILTER (WHERE epoch > 1), count(*) FILTER (WHERE epoch > 1 AND acquired_at > to_timestamp(\(from))) FROM camera_leases
            """)
        for name in names { await cluster.killNode(name) }
        return Figures(nodes: nodes, cameras: cameras, allLeased: allLeased ?? .nan, firstSegmentStart: (firsts[0], firsts[1]),
                       firstSegmentIndexed: (firsts[2], firsts[3]), heldPerNode: held, window: window, writes: writesAfter - writesBefore,
                       coverage: covered / (Double(cameras) * (to - from)), gaps: gaps, healthChanges: health,
                       leasesRetaken: Int(retaken[0]), leasesRetakenWhileMeasured: Int(retaken[1]), mostLapsedAtStart: mostLapsed)
    }
}
