import ServiceLifecycle
import Vapor

/// Runs the Vapor HTTP server as a service of the process's `ServiceGroup`: starts it, and
/// on graceful shutdown (SIGTERM, SIGINT) stops accepting connections and lets open requests end.
public struct HTTPServerService: Service {
    let app: Application
    let drainLimit: Duration
    let onStarted: @Sendable () -> Void

    /// `drainLimit`: how long, once the server has stopped listening (which itself waits up to
    /// the server's `shutdownTimeout` for open connections), requests still being answered may
    /// go on before they are cancelled.
    public init(app: Application, drainLimit: Duration = .seconds(15), onStarted: @escaping @Sendable () -> Void = {}) {
        self.app = app
        self.drainLimit = drainLimit
        self.onStarted = onStarted
    }

    public func run() async throws {
        try await app.server.start(address: nil)
        onStarted()
        try? await gracefulShutdown()
        await app.server.shutdown()
        // Let answers in progress finish (or, past the limit, stop) before the caller closes
        // the database.
        await app.cityWatch.inFlight.drain(limit: drainLimit)
    }
}
