import CityWatchAPI
import CityWatchApp
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Foundation
import NIOHTTP1
import Synchronization
import Testing

/// Footage outlives the node that recorded it: node-a records a camera and its mover puts the
/// older segments in the archive the cluster shares; node-a stops; node-b (which records
/// nothing) lists and plays node-a's archived footage from the archive, and says the footage
/// still on node-a's own disk is unavailable on node-a — not lost, not an error.
@Suite("Cluster archive: footage outlives its node", .serialized,
       .enabled(if: MediaTools().available && FileManager.default.isExecutableFile(atPath: ThreeNodeCluster.binary), "needs ffmpeg and the built executable"))
struct ClusterArchiveTests {
    @Test(.timeLimit(.minutes(2)))
    func aSecondNodePlaysWhatAStoppedNodeArchived() async throws {
        let admin = (username: "archiveadmin", password: "archive-\(UUID().uuidString.prefix(8))")
        let cluster = try await ThreeNodeCluster(cameraCount: 1, administrator: admin)
        var nodes: [MediaProcess] = []
        defer { cluster.tearDown(nodes) }
        let archive = cluster.folder.appendingPathComponent("shared-archive").path
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        // Segments move 3.6 s after they end; the mover looks every second.
        let tiers = ["CITYWATCH_ARCHIVE_DIR": archive, "CITYWATCH_ARCHIVE_AFTER_HOURS": "0.001", "CITYWATCH_ARCHIVE_MOVE_SECONDS": "1",
                     "CITYWATCH_HOT_MOVE_BELOW_FREE_PERCENT": "0"]
        nodes.append(try cluster.start("node-a", environment: tiers))
        let camera = cluster.cameras[0]
        func count(_ condition: String) throws -> Int {
            Int(try cluster.query("SELECT count(*) FROM segments WHERE \(condition)").first?.first ?? "") ?? -1
        }
        try await waitUntil("node-a to archive three segments", timeout: .seconds(60)) {
            try count("tier = 'archive' AND node = 'node-a' AND status = 'ok'") >= 3
        }
        nodes.append(try cluster.start("node-b", environment: tiers.merging(["CITYWATCH_NODE_CAPACITY": "0"]) { $1 }))
        let portB = try #require(cluster.ports.withLock { $0["node-b"] })
        var session: NodeSession?
        try await waitUntil("node-b to answer", timeout: .seconds(30)) {
            session = try? await NodeSession.signIn(port: portB, username: admin.username, password: admin.password)
            return session != nil
        }
        // node-a stops (its last segments stay on its own disk, hot).
        nodes[0].terminate()
        try await waitUntil("node-a to stop", timeout: .seconds(30)) { !nodes[0].isRunning }
        try await waitUntil("node-a to be seen as stopped", timeout: .seconds(20)) {
            try cluster.query("SELECT count(*) FROM cluster_nodes WHERE name = 'node-a' AND stopped_at IS NOT NULL").first?.first == "1"
        }
        let archived = try count("tier = 'archive' AND status = 'ok'"), hot = try count("tier = 'hot' AND status = 'ok'")
        #expect(archived >= 3)

        let viewer = try #require(session)
        let from = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-600))
        let to = ISO8601DateFormatter().string(from: Date().addingTimeInterval(60))
        let listing = try await viewer.json("/api/cameras/\(camera.uuidString)/recordings?from=\(from)&to=\(to)")
        let segments = (listing["segments"] as? [[String: Any]]) ?? []
        let inArchive = segments.filter { $0["tier"] as? String == "archive" }
        #expect(inArchive.count == archived && inArchive.allSatisfy { $0["node"] as? String == "node-a" }, "\(segments)")
        for segment in inArchive.prefix(3) {
            let id = try #require(segment["id"] as? String)
            let path = try #require(try cluster.query("SELECT path FROM segments WHERE id = '\(id.lowercased())'").first?.first)
            #expect(path.hasPrefix(archive + "/"))
            let (status, body) = try await viewer.send(.GET, "/api/segments/\(id)/video")
            let file = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(status == 200 && body == file, "segment \(id): \(status)")
        }
        // What node-a still had hot is unavailable on node-a, and listed as such.
        let unavailable = (listing["unavailable"] as? [[String: Any]]) ?? []
        if let stillHot = segments.first(where: { $0["tier"] as? String == "hot" }), let id = stillHot["id"] as? String {
            let (status, body) = try await viewer.send(.GET, "/api/segments/\(id)/video")
            #expect(status == 503 && String(decoding: body, as: UTF8.self).contains("node-a"), "\(status)")
            #expect(unavailable.contains { $0["node"] as? String == "node-a" }, "\(unavailable)")
        } else {
            #expect(hot == 0 && unavailable.isEmpty, "\(unavailable)")
        }
        // Nothing half-copied left in the shared archive.
        let files = try FileManager.default.subpathsOfDirectory(atPath: archive)
        #expect(files.contains(ArchiveTier.markerName) && !files.contains { $0.hasSuffix(".part") }, "\(files)")
    }
}
