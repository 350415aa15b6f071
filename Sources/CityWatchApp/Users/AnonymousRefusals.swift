import CityWatchDomain
import CityWatchStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Refused anonymous requests, audited per client, channel and kind of refusal: the first of a
/// minute in full, the rest as one summary row (`anonymous.refusals`) when the minute is over;
/// a client refused too often is held off for a while (see ``RefusalLedger``). One per process.
public final class AnonymousRefusals: Sendable {
    /// The channels, as audit summaries name them.
    public enum Channel: String, Sendable {
        case bell, share, platform, login
    }

    private let ledger: Mutex<RefusalLedger>

    public init(policy: RefusalLedger.Policy = RefusalLedger.Policy()) {
        ledger = Mutex(RefusalLedger(policy: policy))
    }

    /// Seconds `client` must wait before a channel that may turn it away hears it again.
    public func retryAfter(client: String, now: Date) -> Int? {
        ledger.withLock { $0.retryAfter(client: client, now: now.timeIntervalSince1970) }.map { Int($0.rounded(.up)) }
    }

    /// Records a refusal of `kind` (a short fixed name: `badSignature`, `revoked`): `event` is
    /// audited when it is the first of its window, else counted for the summary.
    public func refused(_ channel: Channel, client: String, kind: String, event: AuditEvent, audit: AuditLog, now: Date) async throws {
        let verdict = ledger.withLock { $0.refused(channel: channel.rawValue, client: client, kind: kind, now: now.timeIntervalSince1970) }
        if verdict == .audit { try await audit.append(event) }
    }

    /// Counts a request turned away unheard (429, `retryAfter` seconds): the first of a window is
    /// audited (`anonymous.held`), the rest summarised.
    public func turnedAway(_ channel: Channel, client: String, retryAfter: Int, audit: AuditLog, now: Date) async throws {
        let event = AuditEvent(actor: "anonymous", action: "anonymous.held", target: channel.rawValue,
                               details: ["address": .string(client), "retryAfter": .int(Int64(retryAfter))])
        try await refused(channel, client: client, kind: "heldOff", event: event, audit: audit, now: now)
    }

    /// Audits the summaries of the windows that have ended (every window with `force`).
    @discardableResult
    public func flush(audit: AuditLog, now: Date, force: Bool = false) async throws -> Int {
        let summaries = ledger.withLock { $0.closeWindows(now: now.timeIntervalSince1970, force: force) }
        guard !summaries.isEmpty else { return 0 }
        try await audit.append(contentsOf: summaries.map { summary in
            AuditEvent(actor: "anonymous", action: "anonymous.refusals", target: summary.channel, details: [
                "address": .string(summary.client),
                "kind": .string(summary.kind),
                "refusals": .int(Int64(summary.refusals)),
                "from": .string(Date(timeIntervalSince1970: summary.first).formatted(.iso8601)),
                "until": .string(Date(timeIntervalSince1970: summary.last).formatted(.iso8601)),
            ])
        })
        return summaries.count
    }
}

/// Writes the refusal summaries every `interval`, and the open ones at shutdown.
public struct AnonymousRefusalsService: Service {
    let refusals: AnonymousRefusals
    let audit: @Sendable () -> AuditLog
    let interval: Duration
    let logger: Logger

    public init(refusals: AnonymousRefusals, audit: @escaping @Sendable () -> AuditLog, interval: Duration = .seconds(30),
                logger: Logger = Logger(label: "citywatch.refusals")) {
        self.refusals = refusals
        self.audit = audit
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil {
                await flush(force: false)
            }
        }
        await flush(force: true)
    }

    func flush(force: Bool) async {
        do {
            try await refusals.flush(audit: audit(), now: Date(), force: force)
        } catch {
            logger.error("refused requests could not be summarised in the audit log", metadata: ["error": "\(error)"])
        }
    }
}
