import Foundation

/// Files of the CityWatch repository the cluster benchmarks use: `scripts/start-postgres.sh`
/// and `scripts/stop-postgres.sh`, and the console's folder for the nodes. Found from the current
/// folder (`make bench-cluster` runs at the repository's root), else above the executable
/// (`.build/<configuration>/citywatch-bench`).
enum RepositoryScript {
    /// The repository folders to look in, nearest first.
    private static var roots: [URL] {
        var roots = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var folder = URL(fileURLWithPath: ChildProcess.selfPath).deletingLastPathComponent()
        for _ in 0..<4 {
            folder = folder.deletingLastPathComponent()
            roots.append(folder)
        }
        return roots
    }

    /// The path of `scripts/NAME`.
    static func path(_ name: String) throws -> String {
        for root in roots {
            let path = root.appendingPathComponent("scripts").appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw BenchFailure("scripts/\(name) not found: run citywatch-bench from the CityWatch repository's folder")
    }

    /// The console's files (`Public/`), when found.
    static var publicFolder: String? {
        roots.map { $0.appendingPathComponent("Public").path }.first { FileManager.default.fileExists(atPath: $0 + "/index.html") }
    }
}
