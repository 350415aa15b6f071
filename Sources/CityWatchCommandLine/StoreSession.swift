import CityWatchAPI
import CityWatchApp
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Logging
import Vapor

/// Opens the store for a command, runs `body`, and always shuts the application down.
public func withStore<Result: Sendable>(
    _ configuration: Configuration, _ body: @Sendable (Application) async throws -> Result
) async throws -> Result {
    bootstrapLogging(configuration, quiet: true)
    let app = try await Application.make(Environment(name: "production", arguments: ["citywatch"]))
    do {
        try await prepareStore(app, configuration: configuration)
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

/// The audit actor for commands: `cli:<login name>`.
public var commandLineActor: String {
    let environment = ProcessInfo.processInfo.environment
    if let name = environment["SUDO_USER"] ?? environment["USER"], !name.isEmpty { return "cli:" + name }
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return "cli:" + String(cString: name) }
    return "cli:uid\(getuid())"
}

/// Sets up logging once per process from the configuration. Store-only commands log
/// warnings and up so their own output stays readable.
public func bootstrapLogging(_ configuration: Configuration, quiet: Bool) {
    let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
    let threshold = quiet ? max(level, .warning) : level
    LoggingBootstrap.once {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = configuration.logFormat == .json
                ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = threshold
            return handler
        }
    }
}

/// Runs the logging bootstrap at most once (swift-log allows one bootstrap per process).
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false
    private static let lock = NSLock()

    static func once(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        body()
    }
}

extension Configuration {
    /// A hasher for commands that set passwords.
    public func hasher(_ app: Application) -> BcryptPasswordHasher {
        BcryptPasswordHasher(cost: bcryptCost, pool: app.threadPool)
    }

    /// Accounts on the command's store.
    public func accounts(_ app: Application) -> Accounts {
        Accounts(database: app.db, hasher: hasher(app), sessionIdleTimeout: sessionIdleTimeout, sessionLifetime: sessionLifetime)
    }
}
