import ArgumentParser
import CityWatchApp
import Foundation

/// Flags every command that touches the store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "Database: sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DB (env CITYWATCH_DATABASE_URL).", valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("data-dir"), help: ArgumentHelp(
        "Folder for the SQLite file and other state (env CITYWATCH_DATA_DIR; default ./.citywatch).", valueName: "folder"))
    var dataDirectory: String?

    @Option(name: .customLong("config"), help: ArgumentHelp(
        "A file of NAME=value settings using the CITYWATCH_… names (env CITYWATCH_CONFIG).", valueName: "file"))
    var configFile: String?

    /// Flags as configuration names, for `Configuration.resolve`.
    var flags: [Configuration.Name: String] {
        var flags: [Configuration.Name: String] = [:]
        flags[.databaseURL] = databaseURL
        flags[.dataDirectory] = dataDirectory
        return flags
    }

    /// The configuration from these flags, the environment and the file.
    func resolve(extra: [Configuration.Name: String] = [:]) throws -> Configuration {
        let environment = ProcessInfo.processInfo.environment
        var fileText: String?
        let filePath = configFile ?? environment["CITYWATCH_CONFIG"]
        if let filePath {
            do { fileText = try String(contentsOfFile: filePath, encoding: .utf8) } catch {
                throw ValidationError("cannot read the configuration file \(filePath): \(error.localizedDescription)")
            }
        }
        do {
            return try Configuration.resolve(flags: flags.merging(extra) { $1 }, environment: environment,
                                             fileText: fileText, fileName: filePath ?? "configuration file")
        } catch let problem as Configuration.Problem {
            throw ValidationError(problem.description)
        }
    }
}
