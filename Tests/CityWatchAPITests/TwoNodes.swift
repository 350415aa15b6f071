import CityWatchAPI
import CityWatchStore
import CityWatchTestSupport
import Foundation
import Vapor

/// Two CityWatch servers on one fresh PostgreSQL database, each with its own data folder, as
/// two nodes of a cluster; both are shut down after `body`, however it ends.
func withTwoNodes(_ body: (_ first: Application, _ second: Application, _ databaseURL: String) async throws -> Void) async throws {
    let database = try await TestDatabase.make(.postgres)
    defer { database.drop() }
    guard case .postgres(let url) = database.location else { return }
    var nodes: [Application] = []
    do {
        for index in 0..<2 {
            let app = try await Application.make(.testing)
            app.logger.logLevel = .warning
            nodes.append(app)
            let folder = try RepositoryPaths.temporaryFolder("node\(index)")
            try await configure(app, configuration: testConfiguration(database.location, dataDirectory: folder.path))
        }
        try await body(nodes[0], nodes[1], url)
    } catch {
        for node in nodes { try? await node.asyncShutdown() }
        throw error
    }
    for node in nodes { try await node.asyncShutdown() }
}
