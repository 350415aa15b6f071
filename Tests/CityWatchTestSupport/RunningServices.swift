import Logging
import ServiceLifecycle

/// Runs `services` in a service group while `body` runs, and always shuts them down gracefully
/// before returning or rethrowing: a test that fails half-way must not leave a recorder writing
/// into a database its `withCityWatch` is already closing.
public func whileRunning<T>(_ services: [any Service], _ body: () async throws -> T) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: Logger(label: "test")))
    let running = Task { try await group.run() }
    do {
        let result = try await body()
        await group.triggerGracefulShutdown()
        try await running.value
        return result
    } catch {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        throw error
    }
}
