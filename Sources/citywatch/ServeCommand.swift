import ArgumentParser
import CityWatchAPI
import CityWatchApp
import CityWatchCommandLine
import CityWatchDetection
import CityWatchMedia
import CityWatchStore
import Fluent
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import Vapor

/// `citywatch serve`: the HTTP API and the console.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start the server: HTTP API and browser console.",
        discussion: "On the first start with an empty store it creates the administrator 'admin' with a random password, printed once; it must be changed at the first login. Stop with Ctrl-C or SIGTERM: open requests finish first, and the audit log's head is signed (a checkpoint) before it ends.")

    @OptionGroup var store: StoreOptions

    @ArgumentParser.Option(name: .customLong("address"), help: ArgumentHelp(
        "HOST:PORT to listen on (env CITYWATCH_HTTP_ADDRESS; default 127.0.0.1:8080).", valueName: "host:port"))
    var address: String?

    @ArgumentParser.Option(name: .customLong("public-dir"), help: ArgumentHelp(
        "Folder of the console files (env CITYWATCH_PUBLIC_DIR; default: <binary>/../share/citywatch/Public, the checkout the binary was built in, ./Public).",
        valueName: "folder"))
    var publicDirectory: String?

    @ArgumentParser.Option(name: .customLong("tile-url"), help: ArgumentHelp(
        "Base-map tile URL template with {z}/{x}/{y}, or 'none' for a plain background (env CITYWATCH_TILE_URL).", valueName: "url"))
    var tileURL: String?

    func run() async throws {
        var extra: [Configuration.Name: String] = [:]
        extra[.httpAddress] = address
        extra[.publicDirectory] = publicDirectory
        extra[.tileURL] = tileURL
        let configuration = try store.resolve(extra: extra)
        bootstrapLogging(configuration, quiet: false)
        let logger = Logger(label: "citywatch.serve")
        try await runServer(configuration: configuration, logger: logger) { _, _ in }
    }
}

/// Runs the server (and, when the process records, the recorder and retention) until SIGTERM
/// or SIGINT. `prepare` runs after the store is ready and before anything is served. Refuses to
/// start, naming the folders it looked in, when the console's files cannot be found.
func runServer(configuration given: Configuration, logger: Logger,
               prepare: @Sendable (Application, CredentialSealer) async throws -> Void) async throws {
    var located = given
    located.publicDirectory = try ConsoleFolder.locate(
        configured: given.publicDirectory, executable: ConsoleFolder.runningExecutable,
        workingDirectory: FileManager.default.currentDirectoryPath, fileExists: { FileManager.default.fileExists(atPath: $0) })
    let configuration = located
    logger.info("console files", metadata: ["folder": .string(configuration.publicDirectory ?? "")])
    let app = try await Application.make(Environment(name: "production", arguments: ["citywatch"]))
    do {
        try await configure(app, configuration: configuration)
        let sealer = try CredentialSealer.load(base64: configuration.credentialsKey,
                                               folder: (configuration.dataDirectory as NSString).appendingPathComponent("keys"))
        // A registry import killed after its commit point is switched in before anything is served.
        if try await RegistryImporter(database: app.db).finishInterrupted(patience: 0) > 0 {
            logger.notice("finished a registry import that an earlier process left half switched in")
        }
        if configuration.secureCookies, !Configuration.isLoopback(configuration.httpHost) {
            // Off the loopback the session cookie travels over HTTPS only: plain HTTP signs nobody in for long.
            logger.notice("session cookies are Secure (HTTPS only): serve through an HTTPS front, or set CITYWATCH_SECURE_COOKIES=false on a trusted plain-HTTP network")
        }
        if configuration.metricsToken == nil {
            logger.info("GET /metrics is off: set CITYWATCH_METRICS_TOKEN and scrape with Authorization: Bearer <token>")
        }
        if UploadFolder.removeLeftovers(in: configuration.dataDirectory) > 0 {
            logger.notice("removed uploads an earlier process left unfinished")
        }
        try await prepare(app, sealer)
        let password = try await configuration.accounts(app).bootstrapAdministrator()
        let url = "http://\(configuration.httpHost == "0.0.0.0" ? "127.0.0.1" : configuration.httpHost):\(configuration.httpPort)/"
        let server = HTTPServerService(app: app) {
            print("CityWatch console: \(url)  (database: \(configuration.database))")
            if let password {
                print("""

                    First start: administrator account created.
                      user name: admin
                      password:  \(password)
                    This password is shown once. You must change it at the first login.

                    """)
            }
            fflush(nil)
        }
        // First in the group, so it stops last: its shutdown checkpoint signs what every other
        // service wrote to the audit log before it stopped.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: AuditCheckpointer(
            database: { app.db }, signer: try configuration.signingKey().auditCheckpointSigner,
            interval: .seconds(configuration.auditCheckpointMinutes * 60)))]
        services += try recordingServices(app: app, configuration: configuration, sealer: sealer, logger: logger)
        if !services.contains(where: { $0.service is RetentionSweeper }) {
            // No retention sweeper here (nothing recorded): the exports made here still expire.
            let node: String? = if case .postgres = configuration.database { configuration.nodeName } else { nil }
            services.append(.init(service: ExportSweeper(database: { app.db }, configuration: configuration, node: node)))
        }
        // Re-taskings end by themselves; the first sweep at start ends those due while the server was down.
        services.append(.init(service: RetaskingSweeper(service: {
            RetaskingService(database: app.db, settingsChanged: { await app.analytics?.reloadSettings() })
        })))
        if case .postgres(let url) = configuration.database {
            // Alarms, incidents and wall requests reach the consoles of every node of the cluster.
            services.append(.init(service: ClusterAlarmRelay(center: app.cityWatch.alarms,
                                                             channel: ClusterChannel(name: ClusterAlarmRelay.channelName, url: url),
                                                             database: { app.db })))
        }
        // Refused anonymous requests summarised in the audit log each half minute; stopped after
        // the web server, so the last minute's summary is written too.
        services.append(.init(service: AnonymousRefusalsService(refusals: app.cityWatch.refusals,
                                                                audit: { AuditLog(database: app.db) })))
        services.append(.init(service: server))
        // Services stop in reverse order: the web server first, the recorders last, so every
        // ffmpeg closes its segment and the index is complete before the process ends.
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try await app.asyncShutdown()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

/// The version a node reports to the cluster: the schema's migration count (nodes of one
/// version run the same store) and the cluster level it keeps (``ClusterNodeVersion``).
let clusterVersion = ClusterNodeVersion.current(schema: CityWatchMigrations.all.count)

/// The recorder, the retention sweeper and analytics, when this process records and ffmpeg is installed.
func recordingServices(app: Application, configuration: Configuration, sealer: CredentialSealer, logger: Logger) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
    guard configuration.recording else { return [] }
    let tools = MediaTools()
    guard tools.available else {
        logger.warning("ffmpeg is not installed: cameras are not recorded (apt-get install ffmpeg)")
        return []
    }
    // On PostgreSQL this process is a node of a cluster: it records the cameras it holds a lease on.
    var ownership: CameraOwnership?
    if case .postgres = configuration.database { ownership = CameraOwnership(node: configuration.nodeName) }
    // With an archive tier, old footage moves there; a move and a retention sweep never run at once.
    let footage = OneAtATime()
    let archive = ArchiveTier(configuration)
    let alarms = app.cityWatch.alarms
    let mover = archive.map { archive in
        TierMover(database: { app.db }, configuration: configuration, archive: archive, node: ownership?.node, footage: footage,
                  alarm: { alarm in
                      do { try await IncidentService(database: app.db, center: alarms).raise(alarm) } catch {
                          logger.error("could not raise the archive's alarm", metadata: ["error": .string("\(error)")])
                      }
                  })
    }
    let recording = RecordingService(database: { app.db }, configuration: configuration, tools: tools, sealer: sealer, ownership: ownership,
                                     mover: mover)
    app.recording = recording
    let retention = RetentionSweeper(database: { app.db }, configuration: configuration, node: ownership?.node, ownership: ownership,
                                     archive: archive, footage: footage)
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: recording), .init(service: retention)]
    if ownership != nil {
        let host = configuration.httpHost == "0.0.0.0" || configuration.httpHost == "::" ? configuration.nodeName : configuration.httpHost
        let membership = ClusterMembership(database: { app.db }, settings: .init(
            node: configuration.nodeName, address: configuration.nodeAddress ?? "http://\(host):\(configuration.httpPort)",
            capacity: configuration.nodeCapacity, leaseSeconds: Double(configuration.leaseSeconds),
            camerasMovedPerMinute: configuration.camerasMovedPerMinute, version: clusterVersion,
            analysisFPS: configuration.nodeAnalysisFPS, framesPerCamera: configuration.analysisFrames ? recording.analysisFramesPerCamera : 0),
            recording: recording)
        // Before the recorder: services stop in reverse order, so the node lets go of its cameras
        // only after every pipeline has cut and indexed its segment.
        services.insert(.init(service: membership), at: 0)
        app.cluster = membership
        // Live video, playback and export of cameras the other nodes hold, through them.
        let peers = ClusterPeers(node: configuration.nodeName, secret: configuration.clusterSecret.map(ClusterSecret.init),
                                 database: { app.db }, clusterTime: { membership.clusterTime() },
                                 leaseSeconds: Double(configuration.leaseSeconds), dataDirectory: configuration.dataDirectory, tools: tools)
        services.append(.init(service: peers))
        app.clusterPeers = peers
    }
    if configuration.analysisFrames {
        var detector: ObjectDetector?
        var detectorProblem: String?
        if let model = configuration.detectorModel {
            do {
                detector = try ObjectDetector(modelPath: model)
                logger.notice("person and vehicle detection on: cameras with rules run detector-led", metadata: ["model": .string(model)])
            } catch {
                detectorProblem = error.description
                logger.warning("the detector model cannot be used: analytics run on motion alone", metadata: ["error": .string(error.description)])
            }
        } else {
            detectorProblem = "no model (CITYWATCH_DETECTOR_MODEL)"
            logger.notice("no detector model (CITYWATCH_DETECTOR_MODEL): analytics run on motion alone, objects are not classified")
        }
        let analytics = AnalyticsService(database: { app.db }, recording: recording, dataDirectory: configuration.dataDirectory,
                                         detector: detector, detectorProblem: detectorProblem)
        app.analytics = analytics
        services.append(.init(service: analytics))
        services.append(.init(service: AnalyticsAlarmBridge(hub: analytics.hub, center: app.cityWatch.alarms, directory: app.cityWatch.directory,
                                                            database: { app.db })))
    } else {
        logger.notice("analysis frames are off (CITYWATCH_ANALYSIS_FRAMES=false): no analytics")
    }
    return services
}
