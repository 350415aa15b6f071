import CityWatchTestSupport
import Foundation
import Testing
import Vapor

/// nginx from `deploy/nginx/` in front of real `citywatch serve` nodes, over TLS: what a browser
/// does through it works, clients stay apart behind it, and a stopped node is passed over.
/// nginx missing is a failure naming the package (``NginxFront/Failure``), never a pass.
@Suite("nginx in front of the nodes",
       .enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "build the executable first: swift build"))
struct NginxFrontTests {
    @Test(.timeLimit(.minutes(2)))
    func signInAnAPICallAndALiveFeedPassThroughTheTLSFront() async throws {
        try await FrontedNodes.with(count: 2) { cluster in
            let front = cluster.front
            // HTTP/2 as browsers choose over TLS, and HTTP/1.1: both carry the page's Origin and
            // Host (with the port) through, or the app would refuse the login as from another site.
            for version in ["--http2", "--http1.1"] {
                var client = FrontClient(front: front)
                client.version = version
                let session = try await client.signIn(FrontedNodes.administrator, cluster.password)
                let me = try await client.send("GET", "/api/session", session: session)
                #expect(me.status == 200 && me.body.contains("\"username\":\"chief\""), "\(version): \(me.status) \(me.body.prefix(200))")
            }
            let client = FrontClient(front: front)
            let elsewhere = try await client.login(FrontedNodes.administrator, cluster.password, origin: "https://elsewhere.example")
            #expect(elsewhere.status == 403, "a login posted from another site is still refused behind the front")

            let plain = try await client.send("GET", "/api/session", url: "http://127.0.0.1:\(front.httpPort)/api/session")
            #expect(plain.status == 301 && plain.headers.contains("https://127.0.0.1:\(front.httpsPort)/api/session"), "plain HTTP: \(plain.headers)")

            // The alarm feed's WebSocket handshake exactly as a browser on the console sends it.
            let session = try await client.signIn(FrontedNodes.administrator, cluster.password)
            #expect(try await Self.handshake(front, session: session, origin: front.url).hasPrefix("HTTP/1.1 101"))
            #expect(try await Self.handshake(front, session: session, origin: "https://elsewhere.example").hasPrefix("HTTP/1.1 403"))
            // A node reads nothing more on a connection whose handshake it refused: the front must
            // not hand that connection to the next requests (they would wait out the timeout).
            for _ in 0..<4 {
                let after = try await client.send("GET", "/api/session", session: session)
                #expect(after.status == 200, "after a refused handshake: \(after.status)")
            }

            // A feed opened through the front gets what is raised through the front, whichever
            // node each lands on (the nodes relay alarms through PostgreSQL).
            let feed = try await LiveTextSocket.open(url: "wss://127.0.0.1:\(front.httpsPort)/api/alarms/live",
                                                     headers: ["Cookie": "cw_session=\(session.cookie)"], trusting: front.certificate)
            let title = "nginx-front-\(UUID().uuidString.prefix(8))"
            let raising = Task {
                // The other node's listener may still be connecting: raise until one is heard, for
                // at most 15 s; then the feed is closed and the test fails below.
                defer { Task { try? await feed.close() } }
                for _ in 0..<30 where !Task.isCancelled {
                    let raised = try await client.send("POST", "/api/alarms", session: session, body: "{\"title\":\"\(title)\"}")
                    #expect(raised.status == 201, "raise through the front: \(raised.status) \(raised.body.prefix(200))")
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
            var heard: String?
            while heard == nil, let message = await feed.next(1).first {
                if message.contains(title) { heard = message }
            }
            raising.cancel()
            _ = try? await raising.value
            try await feed.close()
            #expect(heard?.contains("\"type\":\"alarm\"") == true,
                    "heard through the front: \(heard ?? "nothing"); nginx's log:\n\(front.accessLog)\n\(front.errorLog)")
            // Both nodes answered something: the front balanced over them.
            #expect(Set(front.answeredBy.map(\.upstream)).isSuperset(of: cluster.ports.map { "127.0.0.1:\($0)" }), "\(front.answeredBy)")

            // Ordinary bodies stop at the app's 1 MiB; a registry upload of 2 MiB reaches the node.
            let large = String(repeating: "x", count: 2 * 1_048_576)
            let tooLarge = try await client.send("POST", "/api/alarms", session: session, body: large)
            #expect(tooLarge.status == 413)
            let upload = try await client.send("POST", "/api/registry/import?dryRun=true", session: session,
                                               headers: ["Content-Type: text/csv"], body: large)
            #expect(upload.status != 413 && upload.status < 500, "a 2 MiB registry upload reaches the node: \(upload.status) \(upload.body.prefix(200))")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func eachClientBehindTheFrontIsThrottledAndAuditedByItsOwnAddress() async throws {
        try await FrontedNodes.with(count: 2) { cluster in
            // Requests leave from 127.0.0.2 and 127.0.0.3: two clients to nginx, which the nodes,
            // trusting only 127.0.0.1, know through X-Forwarded-For.
            var guesser = FrontClient(front: cluster.front)
            guesser.source = "127.0.0.2"
            var neighbour = FrontClient(front: cluster.front)
            neighbour.source = "127.0.0.3"
            var statuses: [Int] = []
            for attempt in 0..<21 {
                // A forged X-Forwarded-For does not give the guesser a fresh address per guess.
                let answer = try await guesser.send("POST", "/api/login", headers: ["Origin: \(cluster.front.url)", "X-Forwarded-For: 198.51.100.\(attempt)"],
                                                    body: "{\"username\":\"nobody\(attempt)\",\"password\":\"guess\"}")
                statuses.append(answer.status)
            }
            #expect(statuses.prefix(20).allSatisfy { $0 == 401 } && statuses.last == 429, "20 failures from one address, then locked: \(statuses)")
            let wrong = try await neighbour.login("somebody", "wrong")
            #expect(wrong.status == 401, "another client behind the same front is not locked out")
            let session = try await neighbour.signIn(FrontedNodes.administrator, cluster.password)

            let throttled = try await neighbour.send("GET", "/api/audit?action=login.throttled", session: session)
            let failed = try await neighbour.send("GET", "/api/audit?action=login.failed&limit=100", session: session)
            #expect(throttled.body.contains("\"target\":\"127.0.0.2\""), "\(throttled.body.prefix(400))")
            let targets = failed.body.matches(of: /"target":"([^"]*)"/).map { String($0.1) }
            #expect(targets.count == 21 && Set(targets) == ["127.0.0.2", "127.0.0.3"], "failed logins by address: \(targets)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func requestsGoOnThroughTheOtherNodeWhenOneStops() async throws {
        try await FrontedNodes.with(count: 2) { cluster in
            let client = FrontClient(front: cluster.front)
            let session = try await client.signIn(FrontedNodes.administrator, cluster.password)
            let (first, second) = ("127.0.0.1:\(cluster.ports[0])", "127.0.0.1:\(cluster.ports[1])")
            try await cluster.stop(1)
            let before = cluster.front.answeredBy.count
            var statuses: [Int] = []
            for _ in 0..<8 {
                statuses.append(try await client.send("GET", "/api/session", session: session).status)
            }
            // A login is a POST: it is passed on too, since the stopped node never received it.
            statuses.append(try await client.login(FrontedNodes.administrator, cluster.password).status)
            #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
            let after = cluster.front.answeredBy.dropFirst(before)
            #expect(after.allSatisfy { $0.upstream.hasSuffix(first) }, "every answer came from the running node: \(after)")
            #expect(after.contains { $0.upstream == "\(second), \(first)" }, "the stopped node was tried and passed over: \(after)")
            #expect(cluster.front.errorLog.contains("Connection refused"))
        }
    }

    /// Sends the WebSocket handshake for the alarm feed as a browser does (HTTP/1.1, `Host` with
    /// the port, the page's `Origin`) and returns the response's status line. curl does not speak
    /// WebSocket: after a `101` it waits, and its timeout ends it.
    static func handshake(_ front: NginxFront, session: FrontClient.Session, origin: String) async throws -> String {
        let arguments = ["-s", "-i", "-N", "--http1.1", "--max-time", "2", "--cacert", front.certificate,
                         "-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13",
                         "-H", "Sec-WebSocket-Key: \(Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())",
                         "-H", "Origin: \(origin)", "-H", "Cookie: cw_session=\(session.cookie)", front.url + "/api/alarms/live"]
        let output: String
        do {
            output = try await runProgramDetached("/usr/bin/curl", arguments)
        } catch let failure as ProgramFailure where failure.status == 28 {
            output = failure.standardOutput  // 28: the timeout, after an upgrade
        }
        return output.split(separator: "\r\n").first.map(String.init) ?? ""
    }
}
