import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Prometheus
import Vapor

/// The long-lived parts of a running CityWatch server, hung off `Application` storage.
public struct CityWatchServices: Sendable {
    public let configuration: Configuration
    public let directory: CameraDirectory
    public let loginGuard: LoginGuard
    public let hasher: BcryptPasswordHasher
    /// The process's metrics registry (``ProcessMetrics``), shared by every application of the
    /// process: Vapor's HTTP metrics and the camera pipelines' counters.
    public let metrics = ProcessMetrics.registry
    public let clock: @Sendable () -> Date
    /// Requests being answered (shutdown waits for them).
    let inFlight = InFlightRequests()
    /// Live video sockets open now.
    let liveViewers = LiveViewers()
    /// Encoded `GET /api/sites` answers per registry version and camera scope.
    let siteLists = EncodedResponseCache(capacity: 64)
    /// The encoded `GET /api/roads` answer: the road network as GeoJSON, made once per process.
    let roadMaps = EncodedResponseCache(capacity: 1)
    /// Signed-in users by token, for a few seconds.
    let sessions: SessionCache
    /// Wakes open sockets when users' rights change anywhere.
    let access: AccessWatch
    /// What each session has viewed, so snapshots are audited once per viewing session.
    let viewingSessions = ViewingSessions()
    /// Masked copies of recordings for viewers who may not see behind privacy masks.
    let maskedPlayback: MaskedSegmentCache
    /// Cast-net over the registry's cameras and the configured road network.
    let castNet: CastNetService
    /// The past week's motion for selective monitoring, read once a minute.
    let usualMotion = UsualMotionCache()
    /// Provision exports running in the background (their state in the shared store).
    public let provisionExports: ProvisionExportJobs
    /// Evidence exports running in the background (`POST /api/exports?background=true`).
    public let evidenceExports: EvidenceExportJobs
    /// Refused anonymous requests, counted per client (audit summaries, holding off floods).
    public let refusals = AnonymousRefusals()
    /// The live side of the alarm queue and incidents.
    public let alarms = AlarmCenter()

    /// `database`: the application's, for the work that outlives a request.
    public init(configuration: Configuration, database: any Database, directory: CameraDirectory = CameraDirectory(), loginGuard: LoginGuard = LoginGuard(),
                hasher: BcryptPasswordHasher, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.directory = directory
        self.loginGuard = loginGuard
        self.hasher = hasher
        self.clock = clock
        sessions = SessionCache()
        access = AccessWatch(sessions: sessions)
        maskedPlayback = MaskedSegmentCache(folder: (configuration.dataDirectory as NSString).appendingPathComponent("masked-playback"))
        castNet = CastNetService(roadNetwork: configuration.roadNetwork)
        provisionExports = ProvisionExportJobs(database: database, clock: clock)
        evidenceExports = EvidenceExportJobs(database: database, clock: clock)
    }
}

extension Application {
    private struct ServicesKey: StorageKey {
        typealias Value = CityWatchServices
    }

    /// CityWatch's services; set by `configure`.
    public var cityWatch: CityWatchServices {
        get {
            guard let services = storage[ServicesKey.self] else { fatalError("configure(_:) has not run: no CityWatch services") }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Application {
    private struct RecordingKey: StorageKey {
        typealias Value = RecordingService
    }

    /// The recording service, when this process records (serve and demo do; tests may not).
    public var recording: RecordingService? {
        get { storage[RecordingKey.self] }
        set { storage[RecordingKey.self] = newValue }
    }
}

extension Request {
    /// CityWatch's services.
    var cityWatch: CityWatchServices { application.cityWatch }

    /// Accounts bound to this request's database.
    var accounts: Accounts {
        Accounts(database: db, hasher: cityWatch.hasher, sessionIdleTimeout: cityWatch.configuration.sessionIdleTimeout,
                 sessionLifetime: cityWatch.configuration.sessionLifetime, clock: cityWatch.clock)
    }

    /// The audit log bound to this request's database.
    var audit: AuditLog { AuditLog(database: db, clock: cityWatch.clock) }

    /// The client's address: the socket's peer, or, when that peer is a configured proxy
    /// (`CITYWATCH_TRUSTED_PROXIES`), the client its `X-Forwarded-For` names. From any other peer
    /// the header is ignored: a client could write anything there to dodge the login throttle.
    var clientAddress: String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        return AddressRange.client(peer: peer, forwardedFor: headers[.xForwardedFor], trusted: cityWatch.configuration.trustedProxies)
    }
}

extension Application {
    private struct AnalyticsKey: StorageKey {
        typealias Value = AnalyticsService
    }

    /// The analytics service, when this process analyses the cameras it records.
    public var analytics: AnalyticsService? {
        get { storage[AnalyticsKey.self] }
        set { storage[AnalyticsKey.self] = newValue }
    }
}
