import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Crypto
import Fluent
import Foundation
import Synchronization
import Testing
import Vapor
#if canImport(Glibc)
import Glibc
#endif

@Suite("Cluster of three nodes", .serialized,
       .enabled(if: MediaFixtures.available && FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "needs ffmpeg and the built executable"))
struct ClusterNodesTests {
    func eventually(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        try await RecordingServiceTests.eventually(what, timeout: timeout, condition)
    }

    func expectNoOverlap(_ cluster: ThreeNodeCluster, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let overlaps = try cluster.overlaps()
        #expect(overlaps.isEmpty, "no camera recorded twice: \(overlaps.prefix(3).map { "\($0.0) / \($0.1)" })", sourceLocation: sourceLocation)
    }

    @Test(.timeLimit(.minutes(5)))
    func camerasAreSharedOutFencedAndTakenOverWhenNodesStopDieOrFreeze() async throws {
        let cluster = try await ThreeNodeCluster(cameraCount: 12)
        var nodes: [String: MediaProcess] = [:]
        defer { cluster.tearDown(Array(nodes.values)) }
        func tail(_ name: String) -> String { nodes[name]?.standardErrorTail.suffix(15).joined(separator: "\n") ?? "" }
        for name in ["node-a", "node-b", "node-c"] { nodes[name] = try cluster.start(name) }

        // Shared out: every camera held by one node, four each, and recording there only.
        do {
            try await eventually("every camera leased, four to a node", timeout: .seconds(60)) {
                let holders = try cluster.holders()
                return holders.count == 12 && Dictionary(grouping: holders.values, by: { $0 }).values.allSatisfy { $0.count == 4 }
            }
        } catch {
            Issue.record("leases: \(try cluster.query("SELECT node, count(*) FROM camera_leases GROUP BY node"))\nnodes: \(try cluster.query("SELECT * FROM cluster_nodes"))\n\(["node-a", "node-b", "node-c"].map(tail).joined(separator: "\n---\n"))")
            throw error
        }
        try await eventually("two segments of every camera", timeout: .seconds(60)) {
            let counts = Dictionary(grouping: try cluster.segments(), by: \.camera).mapValues(\.count)
            return cluster.cameras.allSatisfy { counts[$0, default: 0] >= 2 }
        }
        let holders = try cluster.holders()
        for camera in cluster.cameras {
            #expect(cluster.recorders(of: camera) == 1, "camera \(camera) has one ffmpeg, on its holder")
            #expect(Set(try cluster.segments().filter { $0.camera == camera }.map(\.node)) == [holders[camera]!])
        }
        try expectNoOverlap(cluster)
        for name in ["node-a", "node-b", "node-c"] {
            #expect(try cluster.metric(name, "citywatch_cluster_cameras_held") == 4, "\(name)'s /metrics")
        }

        // Frozen past the lease: node-c's cameras go to the others; woken, it writes nothing more for them.
        let frozen = try #require(nodes["node-c"])
        let cOwned = Set(holders.filter { $0.value == "node-c" }.keys)
        kill(frozen.pid, SIGSTOP)
        let stoppedAt = Date()
        try await eventually("node-c's cameras held by the others", timeout: .seconds(30)) {
            let now = try cluster.holders()
            return cOwned.allSatisfy { now[$0] != nil && now[$0] != "node-c" }
        }
        let failover = Date().timeIntervalSince(stoppedAt)
        print("failover after a freeze: \(String(format: "%.1f", failover)) s")
        #expect(failover < Double(ThreeNodeCluster.leaseSeconds) * 3, "taken over within a few seconds of the lease")
        // Its ffmpegs went on writing meanwhile; let them finish a segment or two.
        try await Task.sleep(for: .seconds(3))
        kill(frozen.pid, SIGCONT)
        let rejoined = ContinuousClock.now
        try await eventually("node-c's recorders stopped", timeout: .seconds(20)) {
            cOwned.allSatisfy { cluster.recorders(of: $0) == 1 }
        }
        try await eventually("node-c's late files reported as unadopted footage", timeout: .seconds(20)) {
            !(try cluster.query("SELECT path FROM unadopted_footage WHERE node = 'node-c'")).isEmpty
        }
        #expect(try cluster.metric("node-c", "citywatch_cluster_cameras_lost") == 4)
        #expect((try cluster.metric("node-c", "citywatch_cluster_fenced_writes") ?? 0) >= 1)
        let late = try cluster.segments().filter { $0.node == "node-c" && cOwned.contains($0.camera) && $0.start > stoppedAt.timeIntervalSince1970 }
        #expect(late.isEmpty, "rows node-c wrote after its lease moved: \(late.map(\.path))\n\(tail("node-c"))")
        try expectNoOverlap(cluster)

        // node-c is back with nothing: it takes cameras over at the stated rate, not all at once.
        var most = 0
        try await eventually("four cameras back on node-c", timeout: .seconds(90)) {
            let count = try cluster.holders().values.filter { $0 == "node-c" }.count
            let elapsed = (ContinuousClock.now - rejoined).seconds
            // The first ten seconds' worth at once, then the rate (a lease's grace before the first claim).
            let allowed = Double(ThreeNodeCluster.movedPerMinute) * (1.0 / 6 + max(0, elapsed - Double(ThreeNodeCluster.leaseSeconds)) / 60) + 1
            #expect(Double(count) <= allowed.rounded(.up), "\(count) cameras moved to node-c \(elapsed) s after it came back")
            most = max(most, count)
            return count == 4
        }
        try expectNoOverlap(cluster)

        // Drained (before maintenance): node-c hands every camera over at once and takes none.
        _ = try cluster.query("UPDATE cluster_nodes SET draining = true WHERE name = 'node-c'")
        try await eventually("node-c drained", timeout: .seconds(20)) {
            let now = try cluster.holders()
            return now.count == 12 && !now.values.contains("node-c")
        }
        _ = try cluster.query("UPDATE cluster_nodes SET draining = false WHERE name = 'node-c'")
        try expectNoOverlap(cluster)

        // Killed outright: its cameras record elsewhere, with the gap recorded, nothing duplicated.
        let killed = try #require(nodes["node-b"])
        let bOwned = Set(try cluster.holders().filter { $0.value == "node-b" }.keys)
        killed.forceKill()
        let killedAt = Date()
        try await eventually("node-b's cameras recording elsewhere", timeout: .seconds(40)) {
            let segments = try cluster.segments()
            return bOwned.allSatisfy { camera in
                segments.contains { $0.camera == camera && $0.node != "node-b" && $0.start > killedAt.timeIntervalSince1970 }
            }
        }
        print("failover after SIGKILL, first new segment indexed: \(String(format: "%.1f", Date().timeIntervalSince(killedAt))) s")
        let gaps = try cluster.query("SELECT camera_id FROM recording_gaps").compactMap { UUID(uuidString: $0[0]) }
        #expect(bOwned.isSubset(of: Set(gaps)), "a gap is recorded for each camera node-b had")
        try expectNoOverlap(cluster)

        // Stopped cleanly: node-a cuts its segments and hands over at once.
        let stopping = try #require(nodes["node-a"])
        let aOwned = Set(try cluster.holders().filter { $0.value == "node-a" }.keys)
        stopping.terminate()
        let terminatedAt = Date()
        try await eventually("node-a to stop", timeout: .seconds(30)) { !stopping.isRunning }
        #expect(stopping.exitStatus?.status == 0 && stopping.exitStatus?.signalled == false, "\(tail("node-a"))")
        try await eventually("node-a's cameras on node-c", timeout: .seconds(20)) {
            let now = try cluster.holders()
            return aOwned.allSatisfy { now[$0] == "node-c" }
        }
        print("handover after SIGTERM: \(String(format: "%.1f", Date().timeIntervalSince(terminatedAt))) s")
        let aFiles = Set(try cluster.segments().filter { $0.node == "node-a" }.map(\.path))
        for camera in aOwned {
            let folder = cluster.folder.appendingPathComponent("node-a/recordings/\(camera.uuidString)")
            let onDisk = Set(((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".mp4") }
                .map { folder.appendingPathComponent($0).path })
            #expect(onDisk.isSubset(of: aFiles), "node-a's last segments are cut and indexed: \(onDisk.subtracting(aFiles))")
        }
        try expectNoOverlap(cluster)
    }
}

/// A node whose wall clock is an hour ahead shares cameras like the others, keeps them without
/// flapping and takes over when its peer dies: leases are judged by the database's clock. (The
/// clock is set by ``WallClockSkew``, not Debian's faketime, which stalls Swift's sleeps.)
@Suite("Cluster with a wrong clock", .serialized,
       .enabled(if: MediaFixtures.available && FileManager.default.isExecutableFile(atPath: CommandLineTests.binary)
                && WallClockSkew.compiler != nil, "needs ffmpeg, the built executable and a C compiler"))
struct ClusterClockSkewTests {
    @Test(.timeLimit(.minutes(3)))
    func aNodeWithItsClockAnHourAheadChangesNothing() async throws {
        let cluster = try await ThreeNodeCluster(cameraCount: 4)
        var nodes: [String: MediaProcess] = [:]
        defer { cluster.tearDown(Array(nodes.values)) }
        let ahead = try WallClockSkew.wrapper(seconds: 3600, in: cluster.folder)
        // The wrapper does what it says: `date` under it is an hour ahead.
        let skewed = try #require(Double(try runProgram(ahead[0], Array(ahead.dropFirst()) + ["/bin/date", "+%s"])
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(abs(skewed - Date().timeIntervalSince1970 - 3600) < 5, "date under the wrapper: \(skewed)")
        nodes["node-a"] = try cluster.start("node-a")
        nodes["node-skewed"] = try cluster.start("node-skewed", wrapper: ahead)
        try await RecordingServiceTests.eventually("two cameras to each node", timeout: .seconds(60)) {
            let holders = try cluster.holders()
            return holders.count == 4 && holders.values.filter { $0 == "node-skewed" }.count == 2
        }
        let settled = try cluster.epochs()
        // The server itself runs an hour ahead: its log lines are stamped by its clock.
        let log = try String(contentsOf: cluster.folder.appendingPathComponent("node-skewed.log"), encoding: .utf8)
        let stamp = try #require(log.split(separator: "\n").first { $0.contains("joined the cluster") }?.split(separator: " ").first)
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        let logged = try #require(format.date(from: String(stamp)))
        #expect(logged.timeIntervalSinceNow > 3000, "node-skewed logs at \(stamp)")
        // Three leases later nothing moved: the skewed node's renewals count by the database's clock.
        try await Task.sleep(for: .seconds(ThreeNodeCluster.leaseSeconds * 3))
        #expect(try cluster.epochs() == settled, "leases flapped")
        let silent = try cluster.query("SELECT extract(epoch FROM now() - heartbeat_at) FROM cluster_nodes WHERE name = 'node-skewed'")
        #expect((Double(silent.first?.first ?? "") ?? 99) < Double(ThreeNodeCluster.leaseSeconds), "the skewed node beats by the store's clock")
        nodes["node-a"]?.forceKill()
        try await RecordingServiceTests.eventually("the skewed node to take every camera", timeout: .seconds(30)) {
            try cluster.holders().values.allSatisfy { $0 == "node-skewed" } && cluster.cameras.count == (try cluster.holders().count)
        }
    }
}

/// The store stopped for 20 s under two recording nodes: recording goes on to disk, every
/// segment closed meanwhile is indexed once it is back, and the holders keep their cameras
/// (same epochs: they renew before anyone may claim), with no footage left unadopted.
@Suite("Cluster through a store outage", .serialized,
       .enabled(if: MediaFixtures.available && FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "needs ffmpeg and the built executable"))
struct ClusterStoreOutageTests {
    @Test(.timeLimit(.minutes(3)))
    func twentySecondsWithoutTheStoreLoseNoSegmentAndMoveNoCamera() async throws {
        let server = try await DedicatedPostgres.start()
        let cluster = try await ThreeNodeCluster(cameraCount: 4, server: server)
        var nodes: [String: MediaProcess] = [:]
        defer { cluster.tearDown(Array(nodes.values)) }
        for name in ["node-a", "node-b"] { nodes[name] = try cluster.start(name) }
        try await RecordingServiceTests.eventually("two cameras to each node, recording", timeout: .seconds(60)) {
            let holders = try cluster.holders()
            let counts = Dictionary(grouping: try cluster.segments(), by: \.camera).mapValues(\.count)
            return holders.count == 4 && holders.values.filter { $0 == "node-a" }.count == 2 && cluster.cameras.allSatisfy { counts[$0, default: 0] >= 1 }
        }
        let before = try cluster.epochs()
        try server.stop()
        let stoppedAt = Date()
        try await Task.sleep(for: .seconds(20))
        try server.restart()
        // Every segment closed on either node before the store came back is indexed.
        let closedDuringOutage = { () -> Set<String> in
            var paths = Set<String>()
            for name in ["node-a", "node-b"] {
                for camera in cluster.cameras {
                    let folder = cluster.folder.appendingPathComponent("\(name)/recordings/\(camera.uuidString)")
                    let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".mp4") }.sorted()
                    // The newest file may still be being written.
                    for file in files.dropLast() { paths.insert(folder.appendingPathComponent(file).path) }
                }
            }
            return paths
        }()
        do {
            try await RecordingServiceTests.eventually("every segment closed during the outage indexed", timeout: .seconds(40)) {
                closedDuringOutage.isSubset(of: Set(try cluster.segments().map(\.path)))
            }
        } catch {
            // (seen once in a clean-clone run, never since: what is missing, and what the nodes said)
            let missing = closedDuringOutage.subtracting(Set((try? cluster.segments().map(\.path)) ?? [])).sorted()
            print("not indexed \(Int(Date().timeIntervalSince(stoppedAt))) s after the store stopped: \(missing)")
            for name in ["node-a", "node-b"] {
                let log = (try? String(contentsOf: cluster.folder.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
                print("\(name)'s log, last 40 lines:\n" + log.split(separator: "\n").suffix(40).joined(separator: "\n"))
            }
            throw error
        }
        let during = try cluster.segments().filter { $0.start > stoppedAt.timeIntervalSince1970 + 2 && $0.start < stoppedAt.timeIntervalSince1970 + 18 }
        #expect(Set(during.map(\.camera)) == Set(cluster.cameras), "each camera recorded through the outage")
        #expect(try cluster.epochs() == before, "the holders kept their cameras, under the same leases")
        #expect(try cluster.query("SELECT path FROM unadopted_footage").isEmpty)
        let overlaps = try cluster.overlaps()
        #expect(overlaps.isEmpty, "\(overlaps.prefix(2))")
    }
}

extension Duration {
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// One node cut off from the store (its connection through a proxy that is stopped) while the
/// other still reaches it: past the lease the other node takes its cameras; when the way is back,
/// the cut-off node stops those pipelines, writes no row for them, and reports what it recorded
/// meanwhile as unadopted footage (kept on its disk, not indexed over the new holder's).
@Suite("Cluster with one node cut off from the store", .serialized,
       .enabled(if: MediaFixtures.available && FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "needs ffmpeg and the built executable"))
struct ClusterPartitionTests {
    @Test(.timeLimit(.minutes(3)))
    func aNodeCutOffPastItsLeaseKeepsWhatItRecordedAsUnadopted() async throws {
        let cluster = try await ThreeNodeCluster(cameraCount: 4)
        var address = try #require(URLComponents(string: cluster.url))
        let proxy = try TCPProxy(to: try #require(address.port))
        address.port = proxy.port
        var nodes: [String: MediaProcess] = [:]
        defer {
            proxy.cut()
            cluster.tearDown(Array(nodes.values))
        }
        nodes["node-a"] = try cluster.start("node-a", databaseURL: try #require(address.string))
        nodes["node-b"] = try cluster.start("node-b")
        try await RecordingServiceTests.eventually("two cameras to each node, recording", timeout: .seconds(60)) {
            let holders = try cluster.holders()
            let counts = Dictionary(grouping: try cluster.segments(), by: \.camera).mapValues(\.count)
            return holders.count == 4 && holders.values.filter { $0 == "node-a" }.count == 2 && cluster.cameras.allSatisfy { counts[$0, default: 0] >= 1 }
        }
        let aOwned = Set(try cluster.holders().filter { $0.value == "node-a" }.keys)
        proxy.cut()
        let cutAt = Date()
        try await RecordingServiceTests.eventually("node-b to take node-a's cameras", timeout: .seconds(40)) {
            try cluster.holders().filter { $0.value == "node-b" }.count == 4
        }
        let takenAt = Date()
        print("taken over from a node cut off from the store: \(String(format: "%.1f", takenAt.timeIntervalSince(cutAt))) s")
        // node-a, cut off, records on meanwhile: a segment or two more.
        try await Task.sleep(for: .seconds(4))
        try proxy.start()
        let backAt = Date()
        try await RecordingServiceTests.eventually("node-a's pipelines of the lost cameras stopped", timeout: .seconds(30)) {
            aOwned.allSatisfy { cluster.recorders(of: $0) == 1 }
        }
        print("cut \(cutAt.timeIntervalSince1970), taken \(takenAt.timeIntervalSince1970), back \(backAt.timeIntervalSince1970), stopped \(Date().timeIntervalSince1970)")
        // Every file node-a closed for those cameras is indexed (closed before the cut) or
        // reported unadopted (its queued rows refused once the store answered): none lost.
        // The files are those on its disk now that its pipelines stopped: once back, node-a
        // may be given some of these cameras again, and a file it then starts is being
        // written under a new lease, not footage of the cut.
        let ofTheCut = aOwned.flatMap { camera -> [String] in
            let folder = cluster.folder.appendingPathComponent("node-a/recordings/\(camera.uuidString)")
            return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".mp4") }
                .map { folder.appendingPathComponent($0).path }
        }
        func unaccounted() throws -> [String] {
            let indexed = Set(try cluster.segments().map(\.path))
            let reported = Set(try cluster.query("SELECT path FROM unadopted_footage WHERE node = 'node-a'").map { $0[0] })
            return ofTheCut.filter { !indexed.contains($0) && !reported.contains($0) }
        }
        do {
            try await RecordingServiceTests.eventually("node-a's files of the cut indexed or reported unadopted", timeout: .seconds(30)) {
                try unaccounted().isEmpty
            }
        } catch {
            Issue.record("node-a's files neither indexed nor reported: \(try unaccounted())")
            throw error
        }
        #expect(!(try cluster.query("SELECT path FROM unadopted_footage WHERE node = 'node-a'")).isEmpty)
        // Once back in touch node-a may be given some of them again, so only rows of footage
        // that started while it was cut off count (a start is named to the second, hence the 1 s).
        let late = try cluster.segments().filter {
            $0.node == "node-a" && aOwned.contains($0.camera) && $0.start > takenAt.timeIntervalSince1970 && $0.start < backAt.timeIntervalSince1970 - 1
        }
        #expect(late.isEmpty, "rows node-a wrote after node-b took the cameras: \(late.map(\.path))")
        let overlaps = try cluster.overlaps()
        #expect(overlaps.isEmpty, "\(overlaps.prefix(2))")
        // Its queued rows for them were refused as stale (whether it noticed the move at its renewal or at those refusals).
        #expect((try cluster.metric("node-a", "citywatch_cluster_fenced_writes") ?? 0) >= 1)
    }
}

/// A rolling upgrade, as the README describes it: a newer version's migrations have run (a
/// column and a table this binary does not know, and their migration rows); the nodes of the
/// older version keep recording, and one restarted on that schema starts and records. Then each
/// node in turn is drained, stopped (SIGTERM), started again and let take cameras: no camera
/// recorded twice, none left unrecorded for longer than the handover.
@Suite("Cluster rolling upgrade", .serialized,
       .enabled(if: MediaFixtures.available && FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "needs ffmpeg and the built executable"))
struct ClusterRollingUpgradeTests {
    @Test(.timeLimit(.minutes(3)))
    func olderNodesKeepWorkingOnANewerSchemaAndNodesAreReplacedOneByOne() async throws {
        let cluster = try await ThreeNodeCluster(cameraCount: 4)
        var nodes: [String: MediaProcess] = [:]
        defer { cluster.tearDown(Array(nodes.values)) }
        for name in ["node-a", "node-b"] { nodes[name] = try cluster.start(name) }
        func recordingEverywhere(after moment: Date) throws -> Bool {
            let recent = try cluster.segments().filter { $0.start > moment.timeIntervalSince1970 }
            return cluster.cameras.allSatisfy { camera in recent.contains { $0.camera == camera } }
        }
        try await RecordingServiceTests.eventually("two cameras to each node, recording", timeout: .seconds(60)) {
            try cluster.holders().count == 4 && recordingEverywhere(after: .distantPast)
        }

        // What a newer version's migrations would add: additive only (a nullable or defaulted
        // column, a new table), the rule the README sets for a minor version.
        _ = try cluster.query("""
            ALTER TABLE segments ADD COLUMN future_tier text NOT NULL DEFAULT 'hot';
            CREATE TABLE future_things (id uuid PRIMARY KEY, note text);
            INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at)
                VALUES (gen_random_uuid(), 'CityWatchStore.FutureMigration', 99, now(), now());
            """)
        let migrated = Date()
        try await RecordingServiceTests.eventually("both nodes recording on the newer schema", timeout: .seconds(30)) {
            try recordingEverywhere(after: migrated)
        }

        // Replaced one by one: drain, stop once it holds nothing, start again, take cameras.
        for name in ["node-a", "node-b"] {
            _ = try cluster.query("UPDATE cluster_nodes SET draining = true WHERE name = '\(name)'")
            try await RecordingServiceTests.eventually("\(name) drained", timeout: .seconds(30)) {
                let holders = try cluster.holders()
                return holders.count == 4 && !holders.values.contains(name)
            }
            let old = try #require(nodes[name])
            old.terminate()
            try await RecordingServiceTests.eventually("\(name) to stop", timeout: .seconds(30)) { !old.isRunning }
            #expect(old.exitStatus?.status == 0 && old.exitStatus?.signalled == false)
            nodes[name] = try cluster.start(name)
            // Started again, it registers afresh (no longer draining) and is given cameras at the joining rate.
            try await RecordingServiceTests.eventually("\(name) back with cameras", timeout: .seconds(60)) {
                try cluster.holders().values.contains(name)
            }
        }
        let replaced = Date()
        try await RecordingServiceTests.eventually("every camera recording after the upgrade", timeout: .seconds(30)) {
            try recordingEverywhere(after: replaced)
        }
        let overlaps = try cluster.overlaps()
        #expect(overlaps.isEmpty, "\(overlaps.prefix(2))")
        #expect(try cluster.query("SELECT path FROM unadopted_footage").isEmpty, "a clean handover leaves nothing unadopted")
        #expect(try cluster.query("SELECT count(*) FROM segments WHERE future_tier = 'hot'").first?.first != "0")
    }
}
