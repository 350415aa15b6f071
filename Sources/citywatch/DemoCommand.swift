import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Logging
import Vapor

/// `citywatch demo`: the server with a demo district of synthetic cameras recording.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start CityWatch with a demo district: 16 synthetic cameras on real Gangnam places, recording, on the live wall.",
        discussion: "Everything lives in the data folder (./.citywatch by default, SQLite). The first start makes the synthetic clips (about a minute) and prints a one-time administrator password; later starts reuse them. Needs ffmpeg. Stop with Ctrl-C.")

    @OptionGroup var store: StoreOptions

    @ArgumentParser.Option(name: .customLong("address"), help: ArgumentHelp("HOST:PORT to listen on (default 127.0.0.1:8080).", valueName: "host:port"))
    var address: String?

    @ArgumentParser.Option(name: .customLong("clip-seconds"), help: "Length of each synthetic clip (played in a loop).")
    var clipSeconds: Int = 60

    @ArgumentParser.Flag(name: .customLong("prepare-only"), help: ArgumentHelp(
        "Make the clips and write the demo district (cameras, their looping file streams, rules, bells) into the store, then exit without serving.",
        discussion: "For a cluster: run it once against the shared PostgreSQL store (with the nodes' CITYWATCH_CREDENTIALS_KEY), then start the nodes, which share the cameras out and record them; the clips stay in DATA_DIR/demo, where every node on this machine reads them. No administrator is created."))
    var prepareOnly = false

    func validate() throws {
        guard (10...600).contains(clipSeconds) else { throw ValidationError("--clip-seconds must be 10–600") }
    }

    func run() async throws {
        var extra: [Configuration.Name: String] = [:]
        extra[.httpAddress] = address
        let configuration = try store.resolve(extra: extra)
        // Writing the district only: its migrations and connections are not worth a line each.
        bootstrapLogging(configuration, quiet: prepareOnly)
        let logger = Logger(label: "citywatch.demo")
        guard MediaTools().available else { throw ValidationError("the demo needs ffmpeg: apt-get install ffmpeg") }
        let clipSeconds = Double(clipSeconds)
        if prepareOnly {
            try await Self.prepare(configuration: configuration, clipSeconds: clipSeconds)
            return
        }
        try await runServer(configuration: configuration, logger: logger) { app, sealer in
            let cameras = try await DemoDistrict(database: app.db, dataDirectory: configuration.dataDirectory)
                .prepare(sealer: sealer, clipSeconds: clipSeconds) { print($0); fflush(nil) }
            print("Demo district: \(cameras.count) synthetic cameras recording to \(configuration.recordingsDirectory)")
            let bells = try await DemoDistrict(database: app.db, dataDirectory: configuration.dataDirectory).prepareBells(sealer: sealer)
            print("Demo bells at the school gates: \(bells.joined(separator: ", ")). Press one from another terminal:")
            let host = configuration.httpHost == "0.0.0.0" ? "127.0.0.1" : configuration.httpHost
            print("    \(ProgramName.invocation) bells press \(bells.first ?? "DEMO-BELL-01") --data-dir \(URL(fileURLWithPath: configuration.dataDirectory).standardizedFileURL.path) --server http://\(host):\(configuration.httpPort)")
        }
    }

    /// `--prepare-only`: the demo district written into the store, nothing served.
    static func prepare(configuration: Configuration, clipSeconds: Double) async throws {
        let sealer = try CredentialSealer.load(base64: configuration.credentialsKey,
                                               folder: (configuration.dataDirectory as NSString).appendingPathComponent("keys"))
        let (cameras, bells) = try await withStore(configuration) { app in
            let district = DemoDistrict(database: app.db, dataDirectory: configuration.dataDirectory)
            let cameras = try await district.prepare(sealer: sealer, clipSeconds: clipSeconds) { print($0); fflush(nil) }
            return (cameras, try await district.prepareBells(sealer: sealer))
        }
        let clips = URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("demo").standardizedFileURL.path
        print("Demo district written: \(cameras.count) synthetic cameras (clips in \(clips)), \(bells.count) bells. Not serving (--prepare-only).")
    }
}
