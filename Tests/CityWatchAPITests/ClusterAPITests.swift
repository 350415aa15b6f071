import CityWatchAPI
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// `GET /api/cluster/nodes` and draining a node.
@Suite("Cluster API")
struct ClusterAPITests {
    struct Cluster: Decodable {
        struct Node: Decodable {
            var name: String
            var alive: Bool
            var draining: Bool
            var cameras: Int
            var capacity: Int
            var analysisFPS: Int?
            var answering: Bool
        }

        struct Footage: Decodable {
            var node: String
            var path: String
        }

        var clustered: Bool
        var nodes: [Node]
        var unadopted: [Footage]
    }

    @Test func administratorsSeeTheNodesAndDrainOneWithAnAuditLine() async throws {
        try await withCityWatch(.postgres) { app in
            let store = ClusterStore(database: app.db)
            try await store.register(name: "node-a", instance: UUID(), address: "http://10.0.0.1:8080", capacity: 24, analysisFPS: 120, version: "v", liveSeconds: 10)
            try await store.register(name: "node-b", instance: UUID(), address: "http://10.0.0.2:8080", capacity: 64, version: "v", liveSeconds: 10)
            _ = try await store.claim([UUID(), UUID()], node: "node-b", seconds: 10)
            try await store.recordUnadopted(.init(camera: UUID(), node: "node-a", path: "/srv/a/x.mp4", start: Date(), end: Date(), bytes: 10,
                                                  reason: "lease moved", foundAt: Date()))
            let admin = try await app.signIn(as: .administrator)
            let answer = try await app.testing().sendRequest(.GET, "/api/cluster/nodes", headers: admin.headers)
            #expect(answer.status == .ok)
            let cluster = try answer.content.decode(Cluster.self)
            #expect(cluster.clustered && cluster.nodes.map(\.name) == ["node-a", "node-b"] && cluster.nodes.allSatisfy(\.alive))
            #expect(cluster.nodes.map(\.cameras) == [0, 2] && cluster.unadopted.map(\.path) == ["/srv/a/x.mp4"])
            #expect(cluster.nodes.map(\.capacity) == [24, 64] && cluster.nodes.map(\.analysisFPS) == [120, nil])
            #expect(cluster.nodes.allSatisfy { !$0.answering }, "this test process is no node")

            let drained = try await app.testing().sendRequest(.PUT, "/api/cluster/nodes/node-b/draining", headers: admin.headers,
                                                              body: .text("{\"draining\": true}"))
            #expect(drained.status == .ok)
            #expect(try drained.content.decode(Cluster.self).nodes.first { $0.name == "node-b" }?.draining == true)
            let audit = try await AuditLog(database: app.db).list(.init(limit: 10))
            #expect(audit.contains { $0.action == "cluster.drain" && $0.target == "node-b" && $0.actor == admin.username })

            let unknown = try await app.testing().sendRequest(.PUT, "/api/cluster/nodes/nobody/draining", headers: admin.headers,
                                                              body: .text("{\"draining\": true}"))
            #expect(unknown.status == .notFound)
            let badBody = try await app.testing().sendRequest(.PUT, "/api/cluster/nodes/node-b/draining", headers: admin.headers,
                                                              body: .text("{\"drain\": true}"))
            #expect(badBody.status == .badRequest && badBody.body.string.contains("drain"))
            let operatorSession = try await app.signIn(as: .operator)
            #expect(try await app.testing().sendRequest(.GET, "/api/cluster/nodes", headers: operatorSession.headers).status == .forbidden)
        }
    }

    @Test func aSingleNodeSaysItIsNoCluster() async throws {
        try await withCityWatch(.sqlite) { app in
            let admin = try await app.signIn(as: .administrator)
            let answer = try await app.testing().sendRequest(.GET, "/api/cluster/nodes", headers: admin.headers)
            #expect(try answer.content.decode(Cluster.self).clustered == false)
            let drain = try await app.testing().sendRequest(.PUT, "/api/cluster/nodes/x/draining", headers: admin.headers, body: .text("{\"draining\": true}"))
            #expect(drain.status == .conflict)
        }
    }
}
