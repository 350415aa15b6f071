import CityWatchApp
import Foundation
import Testing

@Suite("Cluster secret: node-to-node signatures")
struct ClusterSecretTests {
    let secret = ClusterSecret(String(repeating: "3c", count: 32))
    let now = Date(timeIntervalSince1970: 1_796_000_000)
    let path = "/api/cluster/peer/segments/5A4F0C1E-0000-4000-8000-000000000001"

    @Test func aSignedRequestNamesItsNode() {
        let header = secret.sign(method: "GET", path: path, node: "node-b", at: now)
        #expect(secret.verify(header, method: "GET", path: path, now: now.addingTimeInterval(20)) == .success("node-b"))
    }

    @Test func anotherSecretPathMethodOrNodeIsRefused() {
        let header = secret.sign(method: "GET", path: path, node: "node-b", at: now)
        let other = ClusterSecret(String(repeating: "3d", count: 32))
        #expect(other.verify(header, method: "GET", path: path, now: now) == .failure(.wrongSecret(node: "node-b")))
        #expect(secret.verify(header, method: "GET", path: path + "2", now: now) == .failure(.wrongSecret(node: "node-b")))
        #expect(secret.verify(header, method: "DELETE", path: path, now: now) == .failure(.wrongSecret(node: "node-b")))
        let renamed = header.replacingOccurrences(of: "node=node-b", with: "node=node-a")
        #expect(secret.verify(renamed, method: "GET", path: path, now: now) == .failure(.wrongSecret(node: "node-a")))
    }

    @Test func anOldOrFutureSignatureIsRefusedWithItsDistance() {
        let header = secret.sign(method: "GET", path: path, node: "node-b", at: now)
        #expect(secret.verify(header, method: "GET", path: path, now: now.addingTimeInterval(3_600)) == .failure(.outOfWindow(node: "node-b", seconds: 3_600)))
        #expect(secret.verify(header, method: "GET", path: path, now: now.addingTimeInterval(-90)) == .failure(.outOfWindow(node: "node-b", seconds: -90)))
    }

    @Test func aMissingOrGarbledHeaderIsRefusedAsSuch() {
        #expect(secret.verify(nil, method: "GET", path: path, now: now) == .failure(.missing))
        #expect(secret.verify("", method: "GET", path: path, now: now) == .failure(.missing))
        for garbled in ["Bearer abc", "node=a; time=x; signature=00", "node=; time=1; signature=00", "node=a; signature=00", ";;;"] {
            #expect(secret.verify(garbled, method: "GET", path: path, now: now) == .failure(.malformed), "\(garbled)")
        }
        #expect(ClusterSecret.Refusal.wrongSecret(node: "node-c").description.contains("CITYWATCH_CLUSTER_SECRET"))
    }
}
