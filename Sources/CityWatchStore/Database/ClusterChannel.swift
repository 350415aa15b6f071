import FluentKit
import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit

/// Messages between the nodes of a cluster through PostgreSQL's LISTEN/NOTIFY: what one node
/// sends, every node listening on the channel receives (itself included — callers skip their
/// own). Payloads are short JSON texts (PostgreSQL allows under 8,000 bytes).
public struct ClusterChannel: Sendable {
    public let name: String
    let url: String

    /// A channel on the PostgreSQL server at `url`.
    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }

    /// The most a payload may hold.
    public static let payloadLimit = 7_900

    /// Sends `payload` to every listener, through one of the pool's connections.
    public func send(_ payload: String, on database: any Database) async throws {
        guard payload.utf8.count <= Self.payloadLimit else { throw ClusterChannelError.payloadTooLarge(payload.utf8.count) }
        try await database.sql.raw("SELECT pg_notify(\(bind: name), \(bind: payload))").run()
    }

    /// Listens on its own connection, handing each payload to `receive` until cancelled; a
    /// dropped connection is opened again after `retry`.
    public func listen(logger: Logger, retry: Duration = .seconds(2), receive: @escaping @Sendable (String) async -> Void) async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                attempt = 0
                do {
                    try await connection.listen(on: name) { notifications in
                        for try await notification in notifications { await receive(notification.payload) }
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("cluster channel dropped", metadata: ["channel": "\(name)", "error": "\(error)"]) }
                }
                try? await connection.close()
            } catch {
                attempt += 1
                if attempt == 1 || attempt % 30 == 0 {
                    logger.error("cluster channel cannot connect", metadata: ["channel": "\(name)", "error": "\(error)"])
                }
            }
            try? await Task.sleep(for: retry)
        }
    }
}

public enum ClusterChannelError: Error, CustomStringConvertible {
    case payloadTooLarge(Int)

    public var description: String { "a cluster message of \(self.bytes) bytes is over the limit of \(ClusterChannel.payloadLimit)" }

    var bytes: Int {
        switch self {
        case .payloadTooLarge(let bytes): bytes
        }
    }
}
