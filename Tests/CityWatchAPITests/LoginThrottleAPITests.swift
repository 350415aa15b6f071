import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The login throttle holds against guesses sent all at once, counts in the store that every
/// node shares, and believes `X-Forwarded-For` only from configured proxies (issue 13, #4).
@Suite("Login throttle under attack")
struct LoginThrottleAPITests {
    @Test(arguments: DatabaseKind.allCases)
    func thirtyParallelGuessesMeetTheLockAfterTheFifthAndOnlyFiveAreHashed(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let victim = try await app.signIn(as: .operator)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for attempt in 0..<30 {
                    group.addTask {
                        try await app.testing().sendRequest(.POST, "/api/login", headers: ["Content-Type": "application/json"],
                                                            body: .json(["username": victim.username, "password": "guess-\(attempt)"])).status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count == 5, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 429 }.count == 25, "\(statuses.sorted())")
            // Only the five that held a slot reached bcrypt and were judged.
            let failed = try await AuditLog(database: app.db).list(.init(actor: victim.username, action: "login.failed"))
            #expect(failed.count == 5)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func nodesSharingAStoreShareTheCounts(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let victim = try await app.signIn(as: .police)
            // Two nodes: each its own guard, one store.
            let accounts = Accounts(database: app.db, hasher: BcryptPasswordHasher(cost: 4, pool: app.threadPool))
            let (nodeA, nodeB) = (LoginGuard(), LoginGuard())
            let started = Date()
            for attempt in 0..<5 {
                let outcome = try await accounts.login(username: victim.username, password: "guess", address: "10.0.0.\(attempt)",
                                                       guard: attempt.isMultiple(of: 2) ? nodeA : nodeB)
                guard case .rejected = outcome else { Issue.record("attempt \(attempt): \(outcome)"); return }
            }
            guard case .throttled(let wait) = try await accounts.login(username: victim.username, password: victim.password,
                                                                        address: "10.0.0.9", guard: nodeB) else {
                Issue.record("the sixth attempt, on the other node, was not throttled")
                return
            }
            // 30 s from the lockout, which began during the attempts (slow on a busy machine).
            #expect(wait <= 30 && Double(wait) >= 30 - Date().timeIntervalSince(started) - 1, "wait \(wait) s")
        }
    }

    @Test func forwardedForCountsOnlyFromATrustedProxy() async throws {
        // No proxy configured: a client writing a new X-Forwarded-For each time is still one address.
        try await withCityWatch(.sqlite) { app in
            let port = try await app.startOnFreePort()
            let statuses = try await Self.guesses(21, port: port) { "203.0.113.\($0)" }
            #expect(statuses.prefix(20).allSatisfy { $0 == "401" } && statuses.last == "429", "\(statuses)")
            await app.server.shutdown()
        }
        // Behind a configured front: each client is counted by the address the front saw.
        try await withCityWatch(.sqlite, adjust: { $0.trustedProxies = [AddressRange("127.0.0.1")!] }) { app in
            let port = try await app.startOnFreePort()
            let spray = try await Self.guesses(21, port: port) { _ in "198.51.100.7" }
            #expect(spray.prefix(20).allSatisfy { $0 == "401" } && spray.last == "429", "\(spray)")
            let neighbour = try await Self.guesses(1, port: port) { _ in "198.51.100.8" }
            #expect(neighbour == ["401"], "another client behind the same front is not locked out")
            let throttled = try await AuditLog(database: app.db).list(.init(action: "login.throttled"))
            #expect(throttled.first?.target == "198.51.100.7")
            await app.server.shutdown()
        }
    }

    /// `count` wrong logins (each for another user name) over a real socket, with the
    /// `X-Forwarded-For` that `forwarded` gives; the status codes in order.
    static func guesses(_ count: Int, port: Int, forwarded: (Int) -> String) async throws -> [String] {
        var statuses: [String] = []
        for attempt in 0..<count {
            statuses.append(try await runProgramDetached("/usr/bin/curl", [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "-X", "POST",
                "-H", "Content-Type: application/json", "-H", "X-Forwarded-For: \(forwarded(attempt))",
                "--data-binary", "{\"username\":\"nobody\(attempt)\",\"password\":\"guess\"}", "http://127.0.0.1:\(port)/api/login",
            ]))
        }
        return statuses
    }
}
