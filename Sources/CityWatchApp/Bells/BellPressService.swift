import CityWatchDomain
import CityWatchStore
import Crypto
import FluentKit
import Foundation

/// Bell presses: a bell's secret issued, a signed press checked (signature, time, replay)
/// and turned into a critical alarm that puts the bell's cameras on the operators' walls.
/// Drills — a press flagged by the bell's training mode or inside a drill window — go the same
/// way, marked as drills.
public struct BellPressService: Sendable {
    /// A press as it arrived: the bell reference of the URL (its key, id or former key, see
    /// ``BellPressRepository/bell(_:)``) and the three headers.
    public struct Press: Sendable {
        public var bell: String
        public var time: String?
        public var nonce: String?
        public var signature: String?
        public var drill: Bool
        /// Where it came from (for the refusal count; empty when not over the network).
        public var client: String

        public init(bell: String, time: String?, nonce: String?, signature: String?, drill: Bool, client: String = "") {
            self.bell = bell
            self.client = client
            self.time = time
            self.nonce = nonce
            self.signature = signature
            self.drill = drill
        }
    }

    let database: any Database
    /// Where the checks before the wall read (the store itself unless given).
    let reader: any Database
    let center: AlarmCenter
    let sealer: CredentialSealer
    let clock: @Sendable () -> Date
    let cameras: CameraDirectory
    /// The server's count of refused anonymous requests; nil: every refusal is audited alone.
    let refusals: AnonymousRefusals?

    /// `cameras`: the server's shared camera directory (a press then reads no registry).
    public init(database: any Database, reader: (any Database)? = nil, center: AlarmCenter, sealer: CredentialSealer,
                cameras: CameraDirectory = CameraDirectory(), refusals: AnonymousRefusals? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.refusals = refusals
        self.reader = reader ?? database
        self.center = center
        self.sealer = sealer
        self.cameras = cameras
        self.clock = clock
    }

    var repository: BellPressRepository { BellPressRepository(database: database) }

    /// Issues a new secret for the bell (replacing any before); the only time it is shown.
    public func issueSecret(bell reference: String, by actor: String) async throws -> (Bell, String) {
        guard let bell = try await repository.bell(reference) else { throw BellPressRules.Refusal.unknownBell(reference) }
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try await repository.setSecret(bell: bell.id, sealed: try sealer.seal(secret), by: actor, now: clock())
        try await AuditLog(database: database, clock: clock).append(AuditEvent(actor: actor, action: "bell.secret", target: bell.id.uuidString,
                                                                               details: ["bell": .string(bell.record.key)]))
        return (bell, secret)
    }

    /// The signature a bell with `secret` puts on a press; `name` is the bell's key (or the former
    /// key it is pressed by, see ``Bell/signedName(pressedAs:)``).
    public static func signature(secret: String, bell name: String, time: Int64, nonce: String, drill: Bool) -> String {
        let text = BellPressRules.signedText(bell: name, time: time, nonce: nonce, drill: drill)
        let code = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// Checks a press and raises its alarm. Refusals are audit-logged (`bell.press.refused`; with
    /// ``refusals``, the first of a minute from one client in full and the rest summarised) and
    /// thrown as ``BellPressRules/Refusal``. A press is never turned away unchecked, however many
    /// junk ones its address sent: a real bell behind the same gateway must still ring.
    public func press(_ press: Press) async throws -> Alarm {
        let now = clock()
        do {
            return try await accept(press, now: now)
        } catch let refusal as BellPressRules.Refusal {
            let audit = AuditLog(database: database, clock: clock)
            let event = AuditEvent(actor: "bell", action: "bell.press.refused", target: String(press.bell.prefix(80)),
                                   details: ["reason": .string(refusal.description), "address": .string(press.client)])
            if let refusals {
                try await refusals.refused(.bell, client: press.client, kind: refusal.kind, event: event, audit: audit, now: now)
            } else {
                try await audit.append(event)
            }
            throw refusal
        }
    }

    private func accept(_ press: Press, now: Date) async throws -> Alarm {
        // The headers' form before the bell: whether a bell exists is not told by a 400 to some
        // and a 401 to others (an unknown bell, one without a secret and a wrong signature all
        // answer 401 alike; the audit line keeps which it was).
        let nonce = try BellPressRules.nonce(press.nonce)
        guard let signature = press.signature?.lowercased() else { throw BellPressRules.Refusal.missingHeader("X-Bell-Signature") }
        guard let timeText = press.time, let claimed = Int64(timeText.trimmingCharacters(in: .whitespaces)) else {
            throw press.time == nil ? BellPressRules.Refusal.missingHeader("X-Bell-Time") : BellPressRules.Refusal.badTime(press.time ?? "")
        }
        let reading = BellPressRepository(database: reader)
        guard let bell = try await reading.bell(press.bell) else { throw BellPressRules.Refusal.unknownBell(press.bell) }
        let key = bell.record.key
        guard let sealed = try await reading.sealedSecret(bell: bell.id) else { throw BellPressRules.Refusal.noSecret(key) }
        guard let secret = try? sealer.open(sealed) else { throw BellPressProblem.secretUnreadable(key) }
        // The signature before the time: a stranger learns nothing about the clock.
        let expected = Self.signature(secret: secret, bell: bell.signedName(pressedAs: press.bell), time: claimed, nonce: nonce, drill: press.drill)
        guard Self.constantTimeEqual(expected, signature) else { throw BellPressRules.Refusal.badSignature }
        let time = try BellPressRules.time(timeText, now: now)
        guard Self.recent.claim(bell: bell.id, nonce: nonce, now: now) else { throw BellPressRules.Refusal.replayed }
        var stored = false
        do {
            let window = try await reading.drill(bell: bell.id, at: now)
            let drill = press.drill || window != nil
            let links = try await BellDirectory(database: reader, cameras: cameras, promptly: true).listing(bell: bell)
            let place = bell.record.location.isEmpty ? bell.record.displayAddress : bell.record.location
            let alarm = Alarm(source: .bell, sourceRef: key, priority: .critical,
                              title: "\(drill ? "[훈련] " : "")비상벨 · \(place)",
                              detail: [bell.record.purpose, bell.record.placeType, bell.record.displayAddress].filter { !$0.isEmpty }.joined(separator: " · "),
                              place: bell.record.point, address: bell.record.displayAddress, cameraIDs: links.cameras.map(\.cameraID),
                              raisedAt: now, drill: drill, toWall: true)
            // The wall first: everything above only read the store, and a checked press must not
            // wait for the write lock (an import, a busy recorder) before its cameras are shown.
            IncidentService.announceWall(of: alarm, to: center)
            guard try await repository.recordPress(bell: bell.id, nonce: nonce, signedAt: Date(timeIntervalSince1970: Double(time)),
                                                   receivedAt: now, drill: drill, alarm: alarm.id) else {
                // Taken by another node, or by this one before a restart: the stored row decides.
                stored = true
                throw BellPressRules.Refusal.replayed
            }
            stored = true
            do {
                return try await IncidentService(database: database, center: center, clock: clock).raise(alarm, by: "bell:\(key)", wallAnnounced: true)
            } catch {
                // No alarm stored: the press is not kept, so the bell's retry of it is taken. (An alarm
                // stored before a later step failed keeps the press: a retry would raise a second.)
                if (try? await IncidentRepository(database: database).alarm(alarm.id)) == nil {
                    try? await repository.forgetPress(bell: bell.id, nonce: nonce)
                    stored = false
                }
                throw error
            }
        } catch {
            if !stored { Self.recent.release(bell: bell.id, nonce: nonce) }
            throw error
        }
    }

    /// Presses taken by this process lately (see ``RecentBellPresses``).
    static let recent = RecentBellPresses()

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Opens a drill window of `minutes` for one bell (by key, id or former key), or every bell
    /// when `bell` is nil.
    public func scheduleDrill(bell reference: String?, minutes: Int, note: String, by actor: String) async throws -> (from: Date, until: Date) {
        guard (1...24 * 60).contains(minutes) else { throw BellDrillProblem.minutes(minutes) }
        var bellID: UUID?
        if let reference {
            guard let bell = try await repository.bell(reference) else { throw BellPressRules.Refusal.unknownBell(reference) }
            bellID = bell.id
        }
        let from = clock()
        let until = from.addingTimeInterval(Double(minutes) * 60)
        try await repository.addDrill(bell: bellID, from: from, until: until, note: note, by: actor)
        try await AuditLog(database: database, clock: clock).append(AuditEvent(actor: actor, action: "bell.drill", target: bellID?.uuidString ?? "all",
                                                                               details: ["minutes": .int(Int64(minutes)), "note": .string(note),
                                                                                         "bell": .string(reference ?? "all")]))
        return (from, until)
    }
}

/// A press the server itself cannot check (its fault, not the bell's).
public enum BellPressProblem: Error, Equatable, CustomStringConvertible {
    case secretUnreadable(String)

    public var description: String {
        switch self {
        case .secretUnreadable(let key):
            "bell \(key)'s secret cannot be opened with this installation's credentials key (CITYWATCH_CREDENTIALS_KEY or keys/credentials.key changed?); issue a new one with `citywatch bells key \(key)`"
        }
    }
}

/// A drill window that cannot be opened.
public enum BellDrillProblem: Error, Equatable, CustomStringConvertible {
    case minutes(Int)

    public var description: String {
        switch self {
        case .minutes(let minutes): "a drill lasts 1–1,440 minutes, not \(minutes)"
        }
    }
}
