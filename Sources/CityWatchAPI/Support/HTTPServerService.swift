import ServiceLifecycle
import Vapor

/// Runs the Vapor HTTP server as a service of the process's `ServiceGroup`: starts it, and
/// on graceful shutdown (SIGTERM, SIGINT) stops accepting connections and lets open requests end.
public struct HTTPServerService: Service {
    let app: Application
    let onStarted: @Sendable () -> Void

    public init(app: Application, onStarted: @escaping @Sendable () -> Void = {}) {
        self.app = app
        self.onStarted = onStarted
    }

    public func run() async throws {
        try await app.server.start(address: nil)
        onStarted()
        try? await gracefulShutdown()
        await app.server.shutdown()
        // Let answers in progress finish before the caller closes the database.
        await app.cityWatch.inFlight.drain()
    }
}
