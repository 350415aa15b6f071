import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

/// The audit log for administrators and the privacy officer.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let audit = routes.grouped("api", "audit")
        let auditors = Access.only(.administrator, .privacyOfficer)
        audit.endpoint(.GET, access: auditors, use: list)
        audit.endpoint(.GET, "verify", access: auditors, use: verify)
        audit.endpoint(.GET, "checkpoints", access: auditors, use: checkpoints)
    }

    struct EntryDTO: Content {
        var seq: Int64
        var time: Date
        var actor: String
        var action: String
        var target: String
        var details: AuditValue
        var prevHash: String
        var hash: String
    }

    struct PageDTO: Content {
        var entries: [EntryDTO]
        var nextBeforeSeq: Int64?
    }

    struct VerificationDTO: Content {
        struct Problem: Content {
            var seq: Int64
            var reason: String
        }

        /// Something the signed checkpoints say (``AuditCheckpointFinding``).
        struct Finding: Content {
            var kind: String
            var seq: Int64
            var message: String
        }

        /// What the checkpoints vouch for.
        struct Checkpoints: Content {
            var checked: Int
            var latestSeq: Int64?
            var latestTime: Date?
            var signers: [String]
        }

        var ok: Bool
        var checked: Int
        var problem: Problem?
        var findings: [Finding]
        var checkpoints: Checkpoints
    }

    func list(req: Request) async throws -> PageDTO {
        func date(_ name: String) throws -> Date? {
            guard let text: String = req.query[name] else { return nil }
            let formatter = ISO8601DateFormatter()
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withFullDate]
            guard let day = formatter.date(from: text) else {
                throw Abort(.badRequest, reason: "\(name) '\(text.prefix(40))' must be an ISO 8601 time (2026-11-26T09:00:00Z) or date")
            }
            return day
        }
        let limitText: String? = req.query["limit"]
        let limit = try limitText.map { text -> Int in
            guard let value = Int(text), (1...1000).contains(value) else { throw Abort(.badRequest, reason: "limit must be 1–1000") }
            return value
        } ?? 100
        let beforeText: String? = req.query["beforeSeq"]
        let before = try beforeText.map { text -> Int64 in
            guard let value = Int64(text), value > 0 else { throw Abort(.badRequest, reason: "beforeSeq must be a positive whole number") }
            return value
        }
        let filter = AuditLog.Filter(since: try date("since"), until: try date("until"), actor: req.query["actor"],
                                     action: req.query["action"], beforeSeq: before, limit: limit)
        let entries = try await req.audit.list(filter).map { entry in
            EntryDTO(seq: entry.seq, time: entry.time, actor: entry.actor, action: entry.action, target: entry.target,
                     details: (try? JSONDecoder().decode(AuditValue.self, from: Data(entry.details.utf8))) ?? .string(entry.details),
                     prevHash: entry.prevHash, hash: entry.hash)
        }
        return PageDTO(entries: entries, nextBeforeSeq: entries.count == limit ? entries.last?.seq : nil)
    }

    func verify(req: Request) async throws -> VerificationDTO {
        let result = try await req.audit.verify()
        let check = result.checkpoints
        return VerificationDTO(ok: result.isIntact, checked: result.checked,
                               problem: result.problem.map { .init(seq: $0.seq, reason: $0.reason) },
                               findings: check.findings.map { .init(kind: $0.kind, seq: $0.checkpoint.seq, message: $0.description) },
                               checkpoints: .init(checked: check.checked, latestSeq: check.latest?.seq, latestTime: check.latest?.time,
                                                  signers: check.signers))
    }

    /// The signed checkpoints as the file `citywatch audit checkpoints -o` writes, to keep off
    /// the machine and check against with `citywatch audit verify --checkpoints`.
    func checkpoints(req: Request) async throws -> Response {
        let checkpoints = try await AuditCheckpoints(database: req.db).all()
        let file = AuditCheckpointFile(checkpoints: checkpoints, now: req.cityWatch.clock())
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.contentDisposition = .init(.attachment, filename: "audit-checkpoints.json")
        return Response(status: .ok, headers: headers, body: .init(data: try file.encoded()))
    }
}
