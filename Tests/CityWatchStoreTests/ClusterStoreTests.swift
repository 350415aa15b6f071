import CityWatchDomain
import CityWatchStore
import Crypto
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import SQLKit
import Testing

/// Nodes and camera leases in PostgreSQL: one holder per camera, epochs that fence, expiry by the
/// database's clock.
@Suite("Cluster store")
struct ClusterStoreTests {
    let cameras = (0..<6).map { _ in UUID() }

    @Test func aCameraGoesToOneNodeAndMovesOnlyWhenItsLeaseEndsOrIsLetGo() async throws {
        try await withCityWatch(.postgres) { app in
            let store = ClusterStore(database: app.db)
            let first = try await store.claim(cameras, node: "a", seconds: 30)
            #expect(Set(first.keys) == Set(cameras) && first.values.allSatisfy { $0 == LeaseToken(node: "a", epoch: 1) })
            // Held: nobody else gets them.
            #expect(try await store.claim(cameras, node: "b", seconds: 30).isEmpty)
            // Let go of two: the next claim takes them at the next epoch.
            try await store.release(Array(cameras.prefix(2)), node: "a")
            let moved = try await store.claim(cameras, node: "b", seconds: 30)
            #expect(Set(moved.keys) == Set(cameras.prefix(2)) && moved.values.allSatisfy { $0.epoch == 2 })
            // Renewal gives a node only what it still holds.
            let renewed = try await store.renew(node: "a", seconds: 30)
            #expect(Set(renewed.keys) == Set(cameras.dropFirst(2)))
            // Expired (by the database's clock): taken over, and the old holder renews nothing of it.
            try await app.db.sql.raw("UPDATE camera_leases SET expires_at = now() - interval '1 second' WHERE camera_id = \(bind: cameras[2])").run()
            #expect(try await store.claim([cameras[2]], node: "b", seconds: 30)[cameras[2]] == LeaseToken(node: "b", epoch: 2))
            #expect(try await store.renew(node: "a", seconds: 30)[cameras[2]] == nil)
            let leases = try await store.leases()
            #expect(leases.filter { $0.node == "b" }.count == 3 && leases.allSatisfy { $0.isLive })
        }
    }

    @Test func aStaleEpochIsRefusedAndTheCurrentOneAccepted() async throws {
        try await withCityWatch(.postgres) { app in
            let store = ClusterStore(database: app.db)
            let camera = cameras[0]
            let old = try #require(try await store.claim([camera], node: "a", seconds: 30)[camera])
            try await store.requireHolder(old, camera: camera)
            try await store.release([camera], node: "a")
            let new = try #require(try await store.claim([camera], node: "b", seconds: 30)[camera])
            await #expect(throws: FencedWrite.self) { try await store.requireHolder(old, camera: camera) }
            try await store.requireHolder(new, camera: camera)
            // The same name under an older epoch is refused too (a node that lost and took back a camera).
            await #expect(throws: FencedWrite.self) { try await store.requireHolder(LeaseToken(node: "b", epoch: 1), camera: camera) }
        }
    }

    @Test func aLiveNodeKeepsItsNameAndASilentOneLosesIt() async throws {
        try await withCityWatch(.postgres) { app in
            let store = ClusterStore(database: app.db)
            let first = UUID(), second = UUID()
            try await store.register(name: "a", instance: first, address: "http://10.0.0.1:8080", capacity: 10, version: "v", liveSeconds: 30)
            await #expect(throws: NodeNameInUse.self) {
                try await store.register(name: "a", instance: second, address: "http://10.0.0.2:8080", capacity: 10, version: "v", liveSeconds: 30)
            }
            #expect(try await store.heartbeat(name: "a", instance: first) != nil)
            // Silent past the window: the name can be taken, and the old instance's heartbeat says so.
            try await app.db.sql.raw("UPDATE cluster_nodes SET heartbeat_at = now() - interval '1 minute'").run()
            var nodes = try await store.nodes(liveSeconds: 30)
            #expect(nodes.map(\.alive) == [false] && (nodes.first?.silentSeconds ?? 0) > 59)
            try await store.register(name: "a", instance: second, address: "http://10.0.0.2:8080", capacity: 10, version: "v", liveSeconds: 30)
            #expect(try await store.heartbeat(name: "a", instance: first) == nil)
            _ = try await store.claim(cameras, node: "a", seconds: 30)
            nodes = try await store.nodes(liveSeconds: 30)
            #expect(nodes.first?.alive == true && nodes.first?.cameras == cameras.count && nodes.first?.address == "http://10.0.0.2:8080")
            try await store.markStopped(name: "a", instance: second)
            #expect(try await store.nodes(liveSeconds: 30).first?.alive == false)
        }
    }

    /// A node registers as starting and says when it can claim; a row a node of the version
    /// before wrote (no value) counts as started, as does a restart of such a node.
    @Test func aNodeStartsAsStartingUntilItSaysItCanClaim() async throws {
        try await withCityWatch(.postgres) { app in
            let store = ClusterStore(database: app.db)
            let instance = UUID()
            try await store.register(name: "a", instance: instance, address: "http://10.0.0.1:8080", capacity: 10, version: "v", liveSeconds: 30,
                                     starting: true)
            try await store.register(name: "b", instance: UUID(), address: "http://10.0.0.2:8080", capacity: 10, version: "v", liveSeconds: 30)
            try await app.db.sql.raw("""
                INSERT INTO cluster_nodes (name, instance, address, capacity, version, draining, started_at, heartbeat_at)
                VALUES ('old', \(bind: UUID()), 'http://10.0.0.3:8080', 10, 'schema 27', false, now(), now())
                """).run()
            #expect(try await store.nodes(liveSeconds: 30).map(\.starting) == [true, false, false])
            try await store.setStarted(name: "a", instance: UUID())
            #expect(try await store.nodes(liveSeconds: 30).first?.starting == true, "only the running instance says so")
            try await store.setStarted(name: "a", instance: instance)
            #expect(try await store.nodes(liveSeconds: 30).allSatisfy { !$0.starting })
            // Restarted: starting again until it says otherwise.
            try await store.markStopped(name: "a", instance: instance)
            try await store.register(name: "a", instance: UUID(), address: "http://10.0.0.1:8080", capacity: 10, version: "v", liveSeconds: 30,
                                     starting: true)
            #expect(try await store.nodes(liveSeconds: 30).first { $0.name == "a" }?.starting == true)
        }
    }

    @Test func recordableCamerasAreEnabledOnesWithAStreamGroupedByPurposeAndPlace() async throws {
        try await withCityWatch(.postgres) { app in
            let made = try await app.makeCameras(3)
            let sealer = CredentialSealer(key: .init(size: .bits256))
            for camera in made.prefix(2) {
                try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: "rtsp://camera/\(camera)"), for: camera, sealer: sealer, now: Date())
            }
            let recordable = try await ClusterStore(database: app.db).recordableCameras()
            #expect(Set(recordable.map(\.camera)) == Set(made.prefix(2)))
            #expect(recordable.allSatisfy { !$0.group.isEmpty })
        }
    }

    @Test func unadoptedFootageIsReportedOncePerFile() async throws {
        try await withCityWatch(.postgres) { app in
            let store = ClusterStore(database: app.db)
            let footage = ClusterStore.Unadopted(camera: cameras[0], node: "c", path: "/data/c/x.mp4", start: Date(timeIntervalSince1970: 100),
                                                 end: Date(timeIntervalSince1970: 102), bytes: 1000, reason: "lease moved", foundAt: Date())
            try await store.recordUnadopted(footage)
            try await store.recordUnadopted(footage)
            #expect(try await store.unadopted().map(\.path) == ["/data/c/x.mp4"])
        }
    }
}
