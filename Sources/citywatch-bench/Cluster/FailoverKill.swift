import Foundation

/// One kill of the failover benchmark: a node holding cameras is killed outright, and each of
/// its cameras is followed until it records again on another node.
struct FailoverKill {
    /// One failed-over camera.
    struct Camera {
        var id: UUID
        /// Seconds from the kill to the start of the camera's first segment on its new holder
        /// (the segment file's start time, which its name gives to the second, rounded down).
        var recordingAgain: Double
        /// Seconds from the kill until that segment's row was in the store (its `created_at`).
        var indexed: Double
        /// Seconds of footage missing from the index when the new holder's first segment came:
        /// from the end of the last segment indexed before the kill to the new segment's start.
        var gap: Double
        /// Seconds from that last segment's end to the kill: the part of the segment in flight.
        var inFlight: Double
        /// The end of the in-flight file, when the killed node indexed it after coming back.
        var inFlightAdoptedEnd: Double?
        /// When the new holder's first segment started (seconds since 1970).
        var newStart: Double
        var newHolder: String
    }

    var number: Int
    var node: String
    /// When the kill was (seconds since 1970).
    var killedAt: Double
    var cameras: [Camera]
    /// Seconds from restarting the killed node until the cluster had settled again.
    var resettled: Double = .nan
    /// The most leases of the survivors seen expired at once while they took the cameras over
    /// (a holder late to renew, busy starting the cameras it took).
    var survivorsLapsed = 0
    /// The same while the killed node came back and took its share again.
    var lapsedWhileResettling = 0

    /// Kills `node` (its process group), waits until every camera it held records on another
    /// node, and returns the figures of each camera.
    static func run(_ cluster: BenchCluster, number: Int, node: String, timeout: Double) async throws -> FailoverKill {
        let store = try cluster.store
        let owned = Set(try await store.holders().filter { $0.value == node }.keys)
        let quoted = "'\(node)'"
        // The last segment of each camera indexed before the kill.
        var last: [UUID: (start: Double, end: Double)] = [:]
        for row in try await store.rows("""
            SELECT s.camera_id, extract(epoch FROM max(s.start_at)), extract(epoch FROM max(s.end_at)) FROM segments s
            JOIN camera_leases l ON l.camera_id = s.camera_id AND l.node = \(quoted) GROUP BY s.camera_id
            """) where row.count == 3 {
            if let camera = UUID(uuidString: row[0]), let start = Double(row[1]), let end = Double(row[2]) { last[camera] = (start, end) }
        }
        let killedAt = Date().timeIntervalSince1970
        await cluster.killNode(node)
        print(String(format: "  kill %d: SIGKILL to %@ and its ffmpegs, which held %d cameras", number, node, owned.count))
        var found: [UUID: (start: Double, created: Double, node: String)] = [:]
        var lapsed = 0
        _ = try await Waiting.waitUntil("kill \(number): \(node)'s cameras recording elsewhere", timeout: timeout) {
            for row in try await store.rows("""
                SELECT DISTINCT ON (camera_id) camera_id, extract(epoch FROM start_at), extract(epoch FROM created_at), node FROM segments
                WHERE node <> \(quoted) AND created_at > to_timestamp(\(killedAt)) ORDER BY camera_id, start_at
                """) where row.count == 4 {
                guard let camera = UUID(uuidString: row[0]), owned.contains(camera), found[camera] == nil,
                      let start = Double(row[1]), let created = Double(row[2]) else { continue }
                found[camera] = (start, created, row[3])
            }
            let now = Int(try await store.numbers("SELECT count(*) FROM camera_leases WHERE node <> '' AND node <> \(quoted) AND expires_at <= now()")[0])
            lapsed = max(lapsed, now)
            let elapsed = Date().timeIntervalSince1970 - killedAt
            return (found.count == owned.count, String(format: "%d/%d recording again on other nodes, %.0f s after the kill; %d survivors' leases expired now",
                                                       found.count, owned.count, elapsed, now))
        }
        let cameras = found.map { camera, new -> Camera in
            let before = last[camera]
            return Camera(id: camera, recordingAgain: new.start - killedAt, indexed: new.created - killedAt,
                          gap: before.map { new.start - $0.end } ?? .nan, inFlight: before.map { killedAt - $0.end } ?? .nan,
                          newStart: new.start, newHolder: new.node)
        }
        return FailoverKill(number: number, node: node, killedAt: killedAt, cameras: cameras, survivorsLapsed: lapsed)
    }

    /// After the killed node came back: which of its in-flight files it indexed (a file it was
    /// writing at the kill, started before it, indexed by it after).
    mutating func readAdoptedInFlightFiles(_ store: PostgresProbe) async throws {
        var ends: [UUID: Double] = [:]
        for row in try await store.rows("""
            SELECT camera_id, extract(epoch FROM max(end_at)) FROM segments WHERE node = '\(node)'
            AND start_at < to_timestamp(\(killedAt)) AND created_at > to_timestamp(\(killedAt)) GROUP BY camera_id
            """) where row.count == 2 {
            if let camera = UUID(uuidString: row[0]), let end = Double(row[1]) { ends[camera] = end }
        }
        for index in cameras.indices { cameras[index].inFlightAdoptedEnd = ends[cameras[index].id] }
    }
}
