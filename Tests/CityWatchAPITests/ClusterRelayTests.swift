import AsyncHTTPClient
import CityWatchAPI
import CityWatchApp
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

struct NodeRefusal: Error {
    var status: UInt
    var body: String
}

/// A user signed in on one node over HTTP (a real `citywatch serve`).
struct NodeSession {
    let base: String
    let cookie: String
    let csrf: String

    static func signIn(port: Int, username: String, password: String) async throws -> NodeSession {
        let base = "http://127.0.0.1:\(port)"
        var request = HTTPClientRequest(url: base + "/api/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["username": username, "password": password])))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok, let cookie = response.headers["Set-Cookie"].lazy.compactMap({ header -> String? in
            guard header.hasPrefix("cw_session=") else { return nil }
            return String(header.dropFirst("cw_session=".count).prefix { $0 != ";" })
        }).first,
              let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
              let csrf = json["csrfToken"] as? String else {
            throw NodeRefusal(status: response.status.code, body: String(buffer: body))
        }
        return NodeSession(base: base, cookie: cookie, csrf: csrf)
    }

    func send(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, headers extra: [(String, String)] = [])
        async throws -> (status: UInt, body: Data) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Cookie", value: "cw_session=\(cookie)")
        request.headers.add(name: "X-CSRF-Token", value: csrf)
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        return (response.status.code, Data(try await response.body.collect(upTo: 256 << 20).readableBytesView))
    }

    func json(_ path: String) async throws -> [String: Any] {
        let (status, body) = try await send(.GET, path)
        guard status == 200, let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw NodeRefusal(status: status, body: String(decoding: body, as: UTF8.self))
        }
        return object
    }
}

/// Live video, playback and export of a camera from a node that does not record it: node-a
/// (capacity 0, so it records nothing) serves a viewer the cameras node-b holds, relayed with the
/// cluster secret; in Chromium through nginx in front of node-a, the wall plays one live. A node with another secret and a node
/// whose address does not answer show as such in the Nodes list; a process under a name in use
/// is refused and says so. When the camera moves to node-c,
/// the relay follows it. When node-b dies, its footage is "unavailable on node node-b", not an
/// error or a gap.
@Suite("Cluster relays: any node shows every camera", .serialized,
       .enabled(if: MediaTools().available && FileManager.default.isExecutableFile(atPath: ThreeNodeCluster.binary), "needs ffmpeg and the built executable"))
struct ClusterRelayTests {
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(4)))
    func aNodeShowsAnotherNodesCamerasAndSaysWhenTheyAreUnavailable() async throws {
        let password = "relay-\(UUID().uuidString.prefix(10))"
        let cluster = try await ThreeNodeCluster(cameraCount: 3, administrator: ("relayadmin", password), operatorUser: ("relayoperator", password))
        var nodes: [String: MediaProcess] = [:]
        defer { cluster.tearDown(Array(nodes.values)) }
        func tail(_ name: String) -> String { nodes[name]?.standardErrorTail.suffix(12).joined(separator: "\n") ?? "" }
        nodes["node-b"] = try cluster.start("node-b")
        // Capacity 0: these record nothing, so every camera stays on node-b.
        nodes["node-a"] = try cluster.start("node-a", environment: ["CITYWATCH_NODE_CAPACITY": "0"])
        nodes["node-wrong"] = try cluster.start("node-wrong", environment: [
            "CITYWATCH_NODE_CAPACITY": "0", "CITYWATCH_CLUSTER_SECRET": "another-secret-entirely-0123456789abcdef"])
        nodes["node-far"] = try cluster.start("node-far", environment: [
            "CITYWATCH_NODE_CAPACITY": "0", "CITYWATCH_NODE_ADDRESS": "http://127.0.0.1:\(SyntheticRTSPCamera.freePort())"])

        try await eventually("every camera on node-b, recording", timeout: .seconds(60)) {
            let holders = try cluster.holders()
            let counts = Dictionary(grouping: try cluster.segments(), by: \.camera).mapValues(\.count)
            return holders.count == 3 && holders.values.allSatisfy { $0 == "node-b" } && cluster.cameras.allSatisfy { counts[$0, default: 0] >= 2 }
        }
        let aPort = try #require(cluster.ports.withLock { $0["node-a"] })
        let bPort = try #require(cluster.ports.withLock { $0["node-b"] })
        var session: NodeSession?
        try await eventually("node-a to answer", timeout: .seconds(30)) {
            session = try? await NodeSession.signIn(port: aPort, username: "relayadmin", password: password)
            return session != nil
        }
        let a = try #require(session)

        // The Nodes list on node-a: each peer's link as node-a sees it.
        try await eventually("node-a's view of its peers", timeout: .seconds(30)) {
            let links = try await self.links(a)
            return links["node-b"]?.state == "ok" && links["node-wrong"]?.state == "refused" && links["node-far"]?.state == "unreachable"
        }
        let links = try await self.links(a)
        #expect(links["node-wrong"]?.detail?.contains("CITYWATCH_CLUSTER_SECRET") == true, "\(links)")
        #expect(links["node-far"]?.detail?.contains("127.0.0.1") == true, "\(links)")
        try await eventually("node-wrong logs the refusals", timeout: .seconds(20)) {
            let log = (try? String(contentsOf: cluster.folder.appendingPathComponent("node-wrong.log"), encoding: .utf8)) ?? ""
            return log.contains("node-to-node request refused") && log.contains("not signed with this node's cluster secret")
        }

        // A second process under node-b's name: refused, it says why, keeps running and records nothing.
        nodes["node-twin"] = try cluster.start("node-twin", environment: ["CITYWATCH_NODE_NAME": "node-b"])
        try await eventually("the twin to say its name is taken", timeout: .seconds(20)) {
            let log = (try? String(contentsOf: cluster.folder.appendingPathComponent("node-twin.log"), encoding: .utf8)) ?? ""
            return log.contains("cannot join the cluster") && log.contains("node name 'node-b' is in use by a running node")
        }
        #expect(nodes["node-twin"]?.isRunning == true, "\(tail("node-twin"))")
        #expect(try cluster.holders().values.allSatisfy { $0 == "node-b" } && cluster.cameras.allSatisfy { cluster.recorders(of: $0) == 1 })
        let twinRecordings = cluster.folder.appendingPathComponent("node-twin/recordings")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: twinRecordings.path)) ?? []).isEmpty, "the twin records nothing")
        nodes["node-twin"]?.terminate()

        // Playback through node-a of a segment node-b recorded: the same bytes, audit-logged on node-a.
        let camera = cluster.cameras[0]
        let recordings = try await a.json("/api/cameras/\(camera.uuidString)/recordings")
        let segments = try #require(recordings["segments"] as? [[String: Any]])
        let first = try #require(segments.first)
        #expect(first["node"] as? String == "node-b")
        #expect((recordings["unavailable"] as? [Any])?.isEmpty == true)
        let segmentID = try #require(first["id"] as? String)
        let played = try await a.send(.GET, "/api/segments/\(segmentID)/video")
        #expect(played.status == 200, "\(String(decoding: played.body.prefix(300), as: UTF8.self))\n\(tail("node-a"))")
        let file = try #require(try cluster.query("SELECT path FROM segments WHERE id = '\(segmentID)'").first?.first)
        #expect(played.body == FileManager.default.contents(atPath: file), "node-a served node-b's file byte for byte")
        #expect(try cluster.query("SELECT count(*) FROM audit_log WHERE action = 'video.playback' AND target = '\(camera.uuidString)'").first?.first == "1")

        // Node-to-node routes answer nobody without the secret.
        let unsigned = try await a.send(.GET, "/api/cluster/peer/segments/\(segmentID)")
        #expect(unsigned.status == 401, "a signed-in user is not a node")
        let forged = ClusterSecret("not-the-cluster-secret-0123456789abcdef").sign(
            method: "GET", path: "/api/cluster/peer/segments/\(segmentID)", node: "node-a", at: Date())
        var direct = HTTPClientRequest(url: "http://127.0.0.1:\(bPort)/api/cluster/peer/segments/\(segmentID)")
        direct.headers.add(name: ClusterSecret.header, value: forged)
        #expect(try await HTTPClient.shared.execute(direct, timeout: .seconds(10)).status == .unauthorized)

        // An export through node-a holds node-b's footage.
        let end = try #require((segments.last?["end"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        let from = ISO8601DateFormatter().string(from: end.addingTimeInterval(-3))
        let exported = try await a.send(.POST, "/api/exports", json: [
            "cameraIds": [camera.uuidString], "from": from, "to": ISO8601DateFormatter().string(from: end), "reason": "cluster relay test"])
        #expect(exported.status == 201, "\(String(decoding: exported.body, as: UTF8.self))")
        // Downloaded through node-b (a front sends it to any node): fetched from node-a, which made it.
        let exportID = try #require((try JSONSerialization.jsonObject(with: exported.body) as? [String: Any])?["id"] as? String).lowercased()
        let b = try await NodeSession.signIn(port: bPort, username: "relayadmin", password: password)
        let fetched = try await b.send(.GET, "/api/exports/\(exportID)/download")
        #expect(fetched.status == 200, "\(String(decoding: fetched.body.prefix(300), as: UTF8.self))\n\(tail("node-b"))")
        let made = cluster.folder.appendingPathComponent("node-a/exports/\(exportID).zip").path
        #expect(!fetched.body.isEmpty && fetched.body == FileManager.default.contents(atPath: made), "node-b served node-a's zip byte for byte")
        #expect(try cluster.query("SELECT count(*) FROM audit_log WHERE action = 'video.export.download' AND target = '\(exportID.uppercased())'")
            .first?.first == "1", "the download is audit-logged once, by the node that served it")
        // Destroyed early through node-b: its fetched copy goes at once; node-a, which made it
        // and sweeps its own copy later, gives it out no more from that moment.
        let destroyed = try await b.send(.DELETE, "/api/exports/\(exportID)", json: ["reason": "cluster relay test: case closed"])
        #expect(destroyed.status == 200, "\(String(decoding: destroyed.body, as: UTF8.self))\n\(tail("node-b"))")
        #expect(!FileManager.default.fileExists(atPath: cluster.folder.appendingPathComponent("node-b/exports/\(exportID)").path))
        #expect(!FileManager.default.fileExists(atPath: cluster.folder.appendingPathComponent("node-b/exports/\(exportID).zip").path))
        #expect(FileManager.default.fileExists(atPath: made), "node-a's copy waits for node-a's sweep")
        let gone = try await a.send(.GET, "/api/exports/\(exportID)/download")
        #expect(gone.status == 410 && String(decoding: gone.body, as: UTF8.self).contains("case closed"),
                "\(gone.status) \(String(decoding: gone.body, as: UTF8.self))")
        #expect(try cluster.query("SELECT details FROM audit_log WHERE action = 'video.export.destroy' AND target = '\(exportID.uppercased())'")
            .first?.first?.contains("node-b") == true, "the line names the node it was destroyed through")

        // An export no node made: node-far (whose address does not answer) and node-wrong (which
        // refuses node-b) could not be asked, so the answer says so rather than "none".
        let unknown = try await b.send(.GET, "/api/exports/\(UUID().uuidString.lowercased())/download")
        #expect(unknown.status == 503 && String(decoding: unknown.body, as: UTF8.self).contains("node-far"),
                "\(unknown.status) \(String(decoding: unknown.body, as: UTF8.self))")

        // An operator on node-a watching a camera with a privacy mask: the relayed picture is
        // masked (on node-a, from node-b's plain stream), an administrator's is not.
        let maskedCamera = cluster.cameras[2]
        let leftHalf = ["points": [["x": 0, "y": 0], ["x": 0.5, "y": 0], ["x": 0.5, "y": 1], ["x": 0, "y": 1]]]
        let maskSet = try await a.send(.PUT, "/api/cameras/\(maskedCamera.uuidString)/analytics", json: ["privacyMasks": [leftHalf]])
        #expect(maskSet.status == 200, "\(String(decoding: maskSet.body, as: UTF8.self))")
        let officer = try await NodeSession.signIn(port: aPort, username: "relayoperator", password: password)
        let maskedLive = try await RecordingAPITests.watchLive(port: aPort, camera: maskedCamera, cookie: officer.cookie, fragments: 4)
        #expect(maskedLive.masked == true)
        let maskedHalves = try MediaFixtures.firstFrameHalves(of: maskedLive.bytes)
        #expect(maskedHalves.left < 24 && maskedHalves.right > 40, "the operator's relayed live: \(maskedHalves)")
        let plainLive = try await RecordingAPITests.watchLive(port: aPort, camera: maskedCamera, cookie: a.cookie, fragments: 4)
        #expect(try MediaFixtures.firstFrameHalves(of: plainLive.bytes).left > 40, "the administrator's relayed live is not masked")
        let maskedStarts = try cluster.query("SELECT details FROM audit_log WHERE action = 'video.live.start' AND target = '\(maskedCamera.uuidString)'")
        #expect(maskedStarts.count == 2 && maskedStarts.allSatisfy { $0.first?.contains("node-b") == true }, "\(maskedStarts)")
        #expect(maskedStarts.contains { $0.first?.contains("\"masked\":true") == true }, "\(maskedStarts)")
        try await eventually("the relays of those two viewers to close", timeout: .seconds(30)) {
            try cluster.metric("node-b", "citywatch_live_relays_served") == 0
        }
        let livesBefore = try cluster.query("SELECT count(*) FROM audit_log WHERE action = 'video.live.start'").first?.first ?? ""

        // Live, in Chromium through nginx (TLS) in front of node-a: the wall plays node-b's camera, relayed.
        let front = try NginxFront(upstreams: [aPort])
        defer { front.stop() }
        try await WebDriver.withBrowser(extraArguments: ["--ignore-certificate-errors"]) { browser in
            try await console.signIn(browser, at: URL(string: front.url + "/")!, username: "relayadmin", password: password)
            try await browser.click(browser.findElement("#main-nav a[data-view=wall]"))
            try await browser.click(browser.findElement("#wall-layout input[name=layout][value='4']"))
            try await waitUntil("the camera list", timeout: .seconds(20)) {
                try await browser.execute("return document.querySelectorAll('#wall-cameras-list .camera-pick').length").int == 3
            }
            _ = try await browser.execute("document.querySelector('#wall-cameras-list .camera-pick').click(); return true")
            try await waitUntil("a live tile playing", timeout: .seconds(40)) {
                try await browser.execute("return (document.querySelector('#wall .wall-tile[data-state=playing] video')?.currentTime ?? 0) > 0.5") == true
            }
            #expect(try cluster.metric("node-b", "citywatch_live_relays_served") == 1)
            #expect(try cluster.metric("node-a", "citywatch_live_relays_received") == 1)
            let started = try cluster.query("SELECT details FROM audit_log WHERE action = 'video.live.start' ORDER BY seq DESC")
            #expect("\(started.count - 1)" == livesBefore && started.first?.first?.contains("node-b") == true, "\(started)")

            // The camera moves (node-b drained, node-c takes everything): the relay follows it to
            // node-c and the tile goes on playing.
            nodes["node-c"] = try cluster.start("node-c")
            _ = try cluster.query("UPDATE cluster_nodes SET draining = true WHERE name = 'node-b'")
            try await eventually("every camera on node-c, recording", timeout: .seconds(40)) {
                let holders = try cluster.holders()
                let fromC = Set(try cluster.segments().filter { $0.node == "node-c" }.map(\.camera))
                return holders.count == 3 && holders.values.allSatisfy { $0 == "node-c" } && fromC.contains(camera)
            }
            try await eventually("node-c to serve the relay", timeout: .seconds(30)) {
                try cluster.metric("node-c", "citywatch_live_relays_served") == 1
            }
            let playing = "return document.querySelector('#wall .wall-tile[data-state=playing] video')?.currentTime ?? -1"
            try await Task.sleep(for: .seconds(2))
            let before = try #require(try await browser.execute(playing).double)
            try await waitUntil("the tile to play on, from node-c", timeout: .seconds(30)) {
                (try await browser.execute(playing).double ?? -1) > before + 1
            }
            _ = try cluster.query("UPDATE cluster_nodes SET draining = false WHERE name = 'node-b'")

            // The Nodes view says which peers node-a cannot reach or that refuse it.
            try await browser.click(browser.findElement("#main-nav a[data-view=nodes]"))
            try await waitUntil("the peers' links in the Nodes view") {
                try await browser.execute("""
                    return ['node-b', 'node-wrong', 'node-far'].map((n) => document.querySelector(`#nodes-table tr[data-node="${n}"]`)?.dataset.link).join(',')
                    """) == "ok,refused,unreachable"
            }

            // node-b dies: its footage is unavailable on it, named, neither an error nor a gap.
            nodes["node-b"]?.forceKill()
            try await Task.sleep(for: .seconds(Double(ThreeNodeCluster.leaseSeconds) + 1))
            try await browser.navigate(to: URL(string: front.url + "/#playback?camera=\(camera.uuidString)")!)
            try await waitUntil("the playback timeline greys node-b's footage") {
                try await browser.execute("return document.querySelectorAll('#timeline .range-unavailable[data-node=\"node-b\"]').length") == 1
            }
            #expect(try await browser.execute("return document.querySelector('.playback-summary').textContent").string?.contains("unavailable on node node-b") == true)
        }
        let own = try #require(try await a.json("/api/cluster/nodes")["nodes"] as? [[String: Any]]).first { $0["answering"] as? Bool == true }
        #expect((own?["stateDetail"] as? String)?.contains("capacity 0") == true, "\(String(describing: own))")
        let after = try await a.json("/api/cameras/\(camera.uuidString)/recordings")
        let unavailable = try #require(after["unavailable"] as? [[String: Any]])
        #expect(unavailable.count == 1 && unavailable.first?["node"] as? String == "node-b", "\(unavailable)")
        #expect((after["ranges"] as? [Any])?.isEmpty == false, "still listed as recorded")
        // A segment of node-b's that node-a has not read yet (the ones played and exported are kept a while, and play).
        let newest = try #require((after["segments"] as? [[String: Any]])?.last { $0["node"] as? String == "node-b" })
        let other = try #require(newest["id"] as? String)
        #expect(other != segmentID)
        let refused = try await a.send(.GET, "/api/segments/\(other)/video")
        #expect(refused.status == 503)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("unavailable on node node-b"), "\(String(decoding: refused.body, as: UTF8.self))")
        let again = try await a.send(.POST, "/api/exports", json: [
            "cameraIds": [camera.uuidString], "from": ISO8601DateFormatter().string(from: end.addingTimeInterval(1)),
            "to": try #require(newest["end"] as? String), "reason": "cluster relay test"])
        #expect(again.status == 503 && String(decoding: again.body, as: UTF8.self).contains("node-b"))

        // node-a restarts (as in a rolling upgrade): its first sweep removes its own copy of the
        // export destroyed through node-b, and logs that under its name.
        nodes["node-a"]?.terminate()
        try await eventually("node-a to stop", timeout: .seconds(30)) { nodes["node-a"]?.isRunning == false }
        nodes["node-a"] = try cluster.start("node-a", environment: ["CITYWATCH_NODE_CAPACITY": "0"])
        try await eventually("node-a's sweep to remove its copy of the destroyed export", timeout: .seconds(60)) {
            !FileManager.default.fileExists(atPath: made)
        }
        #expect(!FileManager.default.fileExists(atPath: cluster.folder.appendingPathComponent("node-a/exports/\(exportID)").path))
        let copies = try cluster.query(
            "SELECT details FROM audit_log WHERE action = 'video.export.destroy.copy' AND target = '\(exportID.uppercased())'")
        #expect(copies.count == 1 && copies.first?.first?.contains("node-a") == true, "\(copies)\n\(tail("node-a"))")
    }

    func links(_ session: NodeSession) async throws -> [String: (state: String, detail: String?)] {
        let cluster = try await session.json("/api/cluster/nodes")
        var links: [String: (state: String, detail: String?)] = [:]
        for node in (cluster["nodes"] as? [[String: Any]]) ?? [] {
            if let name = node["name"] as? String, let link = node["link"] as? String { links[name] = (link, node["linkDetail"] as? String) }
        }
        return links
    }

    func eventually(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(300))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }
}
