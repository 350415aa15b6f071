import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import NIOPosix
import SQLKit
import Vapor

/// Sets up a CityWatch server on `app`: database and migrations, services, middleware, routes.
///
/// The same call serves `citywatch serve`, the commands that only need the store, and every
/// test that starts the app.
public func configure(_ app: Application, configuration: Configuration, clock: @escaping @Sendable () -> Date = { Date() }) async throws {
    app.http.server.configuration.hostname = configuration.httpHost
    app.http.server.configuration.port = configuration.httpPort
    app.http.server.configuration.responseCompression = .enabled(initialByteBufferCapacity: 1024)
    app.http.server.configuration.requestDecompression = .disabled
    app.routes.defaultMaxBodySize = "1mb"

    try await prepareStore(app, configuration: configuration)
    app.cityWatch = CityWatchServices(configuration: configuration, database: app.db,
                                      hasher: BcryptPasswordHasher(cost: configuration.bcryptCost, pool: app.threadPool),
                                      clock: clock)
    // Registered after the store (prepareStore), so it runs before the store's pools close.
    app.lifecycle.use(SettleBackgroundWork())

    app.middleware = Middlewares()
    app.middleware.use(app.cityWatch.inFlight)
    app.middleware.use(APIErrorMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(VendorFilesMiddleware(root: configuration.vendorDirectory))
    // `serve` and `demo` have found the console (ConsoleFolder) or refused to start; without a
    // folder (a store-only use) only the API is served.
    if let folder = configuration.publicDirectory {
        let publicDirectory = URL(fileURLWithPath: folder).standardizedFileURL.path + "/"
        app.middleware.use(FileMiddleware(publicDirectory: publicDirectory, defaultFile: "index.html"))
    }

    try routes(app)
}

/// Registers and migrates the database (all a store-only command needs).
public func prepareStore(_ app: Application, configuration: Configuration) async throws {
    // The database gets blocking threads of its own. SQLite's driver retries a locked write on
    // the thread that runs it until the lock is free; on the process-wide pool (one thread per
    // core, shared by every application in the process) writers waiting on an open transaction
    // could take every thread that transaction needed to commit, and the whole store stalled.
    // Here every connection but the lock holder's can wait and the holder still has a thread.
    app.threadPool = NIOThreadPool(numberOfThreads: storeThreadCount)
    try app.databases.useCityWatch(configuration.database, sqlLogLevel: .trace)
    app.migrations.add(CityWatchMigrations.all)
    if case .sqlite = configuration.database {
        // The write-ahead log lets readers go on while an import writes.
        _ = try await app.db.sql.raw("PRAGMA journal_mode=WAL").all()
        // The driver's own busy handler retries a locked write at once, again and again: a writer
        // waiting out a long import spun a CPU the whole time. SQLite's timeout handler sleeps
        // between tries (1 ms growing to 100 ms). The driver keeps one connection per event loop,
        // for the life of the application; each gets the setting once.
        for loop in app.eventLoopGroup.makeIterator() {
            for id in [DatabaseID.cityWatch, .cityWatchReader] {
                guard let connection = app.databases.database(id, logger: app.logger, on: loop) else { continue }
                _ = try await connection.sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(sqliteBusyTimeoutMilliseconds))").all()
            }
        }
    }
    if case .postgres(let url) = configuration.database {
        // Nodes of a cluster starting together migrate one at a time.
        try await MigrationLock.whileHeld(url: url, logger: app.logger) { try await app.autoMigrate() }
    } else {
        try await app.autoMigrate()
    }
}

/// How long an SQLite write waits for the lock before it fails "database is locked" (a registry
/// import of a whole city holds it for seconds, not minutes).
let sqliteBusyTimeoutMilliseconds = 120_000

/// Blocking threads for one application: one per event loop (each loop has its own database
/// connection, any of which may be waiting on a lock) and a few for the rest (password hashing,
/// file reads).
let storeThreadCount = System.coreCount * 2 + 4

/// Every route of the server, one collection per resource.
func routes(_ app: Application) throws {
    try app.register(collection: SessionController())
    try app.register(collection: CameraController())
    try app.register(collection: RegistryController())
    try app.register(collection: UserController())
    try app.register(collection: GroupController())
    try app.register(collection: AuditController())
    try app.register(collection: SystemController())
    try app.register(collection: RecordingController())
    try app.register(collection: RetentionController())
    try app.register(collection: StorageController())
    try app.register(collection: ClusterController())
    try app.register(collection: ClusterPeerController())
    try app.register(collection: AnalyticsController())
    try app.register(collection: SearchController())
    try app.register(collection: CastNetController())
    try app.register(collection: IncidentController())
    try app.register(collection: BellPressController())
    try app.register(collection: SelectiveMonitoringController())
    try app.register(collection: RoadController())
    try app.register(collection: BellController())
    try app.register(collection: PlatformController())
    try app.register(collection: ShareController())
    try app.register(collection: ExportController())
    try app.register(collection: ProvisionController())
    try app.register(collection: RetaskingController())
    try app.register(collection: OpenAPIController())
}

/// At shutdown, before the database pools close: waits for the store work the server started
/// and nobody awaits (a registry reload begun in the background for a bell press; provision and
/// evidence exports running in the background, which are stopped first). A query
/// still running when its pool and thread pool are gone leaves its connection unclosed, which
/// a debug build stops on ("SQLiteConnection was not closed before deinitializing"). Only the
/// async shutdown waits: `serve`, `demo`, store commands and the tests all use it.
struct SettleBackgroundWork: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.cityWatch.directory.settle()
        await application.cityWatch.provisionExports.settle()
        await application.cityWatch.evidenceExports.settle()
    }
}
