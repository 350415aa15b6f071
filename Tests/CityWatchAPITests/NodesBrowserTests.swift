import CityWatchAPI
import CityWatchApp
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// The Nodes view: an administrator sees which nodes are alive and what they hold, drains one
/// with a confirming second click, and sees footage a node wrote after its camera moved on.
@Suite("Nodes view in the browser", .serialized)
struct NodesBrowserTests {
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(2)))
    func anAdministratorSeesTheNodesAndDrainsOne() async throws {
        // Nodes count as alive for ten minutes after their heartbeat (the lease is 10 s by
        // default): a loaded machine can take longer than 10 s to sign a browser in.
        try await withCityWatch(.postgres, adjust: { $0.leaseSeconds = 600 }) { app in
            let store = ClusterStore(database: app.db)
            try await store.register(name: "node-a", instance: UUID(), address: "http://10.0.0.1:8080", capacity: 64, version: "schema 23", liveSeconds: 600,
                                     starting: true)
            try await store.register(name: "node-b", instance: UUID(), address: "http://10.0.0.2:8080", capacity: 32, analysisFPS: 160,
                                       version: "schema 23", liveSeconds: 600)
            try await store.register(name: "node-dead", instance: UUID(), address: "http://10.0.0.3:8080", capacity: 64, version: "schema 23", liveSeconds: 600)
            try await app.db.sql.raw("UPDATE cluster_nodes SET heartbeat_at = now() - interval '20 minutes' WHERE name = 'node-dead'").run()
            _ = try await store.claim([UUID(), UUID(), UUID()], node: "node-b", seconds: 600)
            try await store.recordUnadopted(.init(camera: UUID(), node: "node-a", path: "/srv/a/late.mp4", start: Date(), end: Date().addingTimeInterval(2),
                                                  bytes: 123_456, reason: "written after the lease moved to node-b", foundAt: Date()))
            let password = "nodes-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "nodesadmin", password: password)
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: "nodesadmin", password: password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=nodes]"))
                    let rows = "return [...document.querySelectorAll('#nodes-table tbody tr')].map((row) => row.dataset.node + ':' + row.dataset.alive).join(',')"
                    try await waitUntil("three nodes, the silent one last") {
                        try await browser.execute(rows) == "node-a:true,node-b:true,node-dead:false"
                    }
                    let bRow = "document.querySelector('#nodes-table tr[data-node=\"node-b\"]')"
                    #expect(try await browser.execute("return \(bRow).children[2].querySelector('.node-count').textContent").string == "3 / 32")
                    #expect(try await browser.execute("return \(bRow).children[2].querySelector('.node-analysis').textContent").string?.contains("160") == true,
                            "the analysis capacity beside the camera capacity")
                    #expect(try await browser.execute("return document.querySelector('#nodes-table tr[data-node=\"node-a\"] .node-analysis')") == .null,
                            "no analysis limit set, none shown")
                    #expect(try await browser.execute("return document.querySelector('#nodes-table tr[data-node=\"node-a\"]').textContent").string?
                        .contains("Starting") == true, "a node still reconciling its disk says so")
                    #expect(try await browser.execute("return \(bRow).textContent").string?.contains("Starting") == false)
                    #expect(try await browser.execute("return document.querySelector('#nodes-table tr[data-node=\"node-dead\"] .node-drain')") == .null,
                            "a silent node has nothing to drain")
                    #expect(try await browser.execute("return document.getElementById('nodes-summary').textContent").string?.contains("2 of 3 nodes alive") == true)
                    #expect(try await browser.execute("return document.querySelector('#unadopted-table tbody').textContent").string?.contains("/srv/a/late.mp4") == true)

                    // Drain node-b: the first click arms, the second drains.
                    _ = try await browser.execute("\(bRow).querySelector('.node-drain').click(); return true")
                    #expect(try await store.nodes(liveSeconds: 600).first { $0.name == "node-b" }?.draining == false, "one click only arms")
                    _ = try await browser.execute("\(bRow).querySelector('.node-drain').click(); return true")
                    try await waitUntil("node-b draining") {
                        try await browser.execute("return \(bRow)?.dataset.draining ?? ''") == "true"
                    }
                    #expect(try await store.nodes(liveSeconds: 600).first { $0.name == "node-b" }?.draining == true)
                    let audit = try await AuditLog(database: app.db).list(.init(limit: 20))
                    #expect(audit.contains { $0.action == "cluster.drain" && $0.target == "node-b" && $0.actor == "nodesadmin" })
                    // And back.
                    _ = try await browser.execute("\(bRow).querySelector('.node-drain[data-action=undrain]').click(); return true")
                    try await waitUntil("node-b takes cameras again") {
                        try await browser.execute("return \(bRow)?.dataset.draining ?? ''") == "false"
                    }
                    let problems = try await browser.browserLog().filter {
                        $0.level == "SEVERE" && !($0.message.contains("/api/session") && $0.message.contains("401"))
                    }
                    #expect(problems.isEmpty, "browser console errors: \(problems)")
                }
            }
        }
    }
}
