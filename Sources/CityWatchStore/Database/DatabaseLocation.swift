import Foundation

/// Where the store lives: an embedded SQLite file (one laptop) or a PostgreSQL server (a city).
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite database file at `path`.
    case sqlite(path: String)
    /// A PostgreSQL server, as `postgres://user:password@host:port/database`.
    case postgres(url: String)

    /// Why a database URL was refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unsupportedScheme(String)
        case missingPath(String)

        public var description: String {
            switch self {
            case .unsupportedScheme(let url):
                "database URL '\(DatabaseLocation.redacted(url))' must start with sqlite:// or postgres://"
            case .missingPath(let url):
                "database URL '\(url)' names no file; write sqlite:///absolute/path.sqlite or sqlite://relative/path.sqlite"
            }
        }
    }

    /// Parses `sqlite://PATH` or `postgres://…` (also `postgresql://`).
    public init(url: String) throws(Problem) {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .missingPath(url) }
            self = .sqlite(path: path)
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else {
            throw .unsupportedScheme(url)
        }
    }

    /// A short name of the engine, for logs and metrics.
    public var engine: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// The location with any password hidden, safe to print.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let url): Self.redacted(url)
        }
    }

    /// `url` with the password between `:` and `@` replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex),
              let colon = url.range(of: ":", range: scheme.upperBound..<at.lowerBound)
        else { return url }
        return url.replacingCharacters(in: colon.upperBound..<at.lowerBound, with: "***")
    }
}
