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

/// A flood of refused anonymous requests writes a row per kind and a summary, not a row each,
/// and an address refused too often is held off, except on the bell route (issue 13, #9).
@Suite("Refused anonymous requests")
struct RefusalFloodAPITests {
    @Test(arguments: DatabaseKind.allCases)
    func aHundredJunkPressesWriteOneRowAndOneSummary(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let client = try app.testing()
            for attempt in 0..<100 {
                let bell = "JUNK-\(attempt)"
                let response = try await client.sendRequest(.POST, "/api/bells/\(bell)/press", headers: BellPressAPITests.signed(bell, secret: "guess"))
                // Never held off: a real bell behind the same address must still be heard.
                #expect(response.status == .unauthorized, "press \(attempt) answered \(response.status.code)")
            }
            let audit = AuditLog(database: app.db)
            #expect(try await audit.list(.init(action: "bell.press.refused")).count == 1)
            #expect(try await app.cityWatch.refusals.flush(audit: audit, now: Date(), force: true) == 1)
            let summary = try #require(try await audit.list(.init(action: "anonymous.refusals")).first)
            #expect(summary.target == "bell" && AuditDetails.int("refusals", in: summary.details) == 100)
            #expect(summary.details.contains("\"kind\":\"unknownBell\""))
        }
    }

    @Test func anAddressRefusedTooOftenIsHeldOffOnShareLinksAndThePartnerRoute() async throws {
        try await withCityWatch(.sqlite) { app in
            let client = try app.testing()
            var statuses: [UInt] = []
            for attempt in 0..<40 {
                statuses.append(try await client.sendRequest(.GET, "/api/shared/not-a-token-\(attempt)").status.code)
            }
            #expect(statuses.prefix(31).allSatisfy { $0 == 401 } && statuses.suffix(9).allSatisfy { $0 == 429 }, "\(statuses)")
            let held = try await client.sendRequest(.GET, "/api/shared/not-a-token")
            #expect(held.headers.first(name: .retryAfter).flatMap(Int.init).map { (1...60).contains($0) } == true)
            let partner = try await client.sendRequest(.POST, "/api/platform/events", headers: ["Authorization": "Bearer cwp_guess", "Content-Type": "application/json"],
                                                       body: .text("{}"))
            #expect(partner.status == .tooManyRequests)
            // Held off unheard: nothing more is looked up or written one by one.
            let audit = AuditLog(database: app.db)
            #expect(try await audit.list(.init(action: "share.refused")).count == 1)
            #expect(try await audit.list(.init(action: "platform.auth.refused")).isEmpty)
            #expect(try await audit.list(.init(action: "anonymous.held")).map(\.target).sorted() == ["platform", "share"])
            try await app.cityWatch.refusals.flush(audit: audit, now: Date(), force: true)
            let summaries = try await audit.list(.init(action: "anonymous.refusals"))
            #expect(summaries.contains { $0.target == "share" && $0.details.contains("heldOff") && AuditDetails.int("refusals", in: $0.details) == 10 })
            #expect(summaries.contains { $0.target == "share" && $0.details.contains("unknown share token") && AuditDetails.int("refusals", in: $0.details) == 31 })
        }
    }
}
