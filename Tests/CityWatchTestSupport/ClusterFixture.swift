import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Crypto
import Fluent
import Foundation
import Synchronization
import Testing
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// Three `citywatch serve` processes on one throwaway PostgreSQL database, as three nodes of a
/// cluster, recording twelve file cameras with 2 s segments and 5 s leases (analysis off).
public final class ThreeNodeCluster: Sendable {
    public static let leaseSeconds = 5
    public static let movedPerMinute = 12
    /// Removes the database (and its server, when the cluster has one of its own).
    public let dropDatabase: @Sendable () -> Void
    public let url: String
    public let folder: URL
    public let cameras: [UUID]
    public let key = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }).base64EncodedString()
    /// The built `citywatch` executable the nodes run.
    public static var binary: String { RepositoryPaths.root.appendingPathComponent(".build/debug/citywatch").path }
    /// The secret the nodes share (a node may be given another to test a wrong one).
    public static let clusterSecret = "cluster-test-secret-0123456789abcdef0123456789"
    public static let metricsToken = "cluster-test-metrics-token-0123456789"
    /// Each node's HTTP port.
    public let ports = Mutex<[String: Int]>([:])

    /// A cluster on a new database of the suite's PostgreSQL server, or on `server` (a server of
    /// its own, which a test may stop).
    /// With `administrator`, a user of that name and password who can sign in on any node; with
    /// `operatorUser`, an operator who sees every camera (a group of them all).
    public init(cameraCount: Int, server: DedicatedPostgres? = nil, administrator: (username: String, password: String)? = nil,
                operatorUser: (username: String, password: String)? = nil) async throws {
        if let server {
            url = server.url
            dropDatabase = { server.remove() }
        } else {
            let database = try await TestDatabase.make(.postgres)
            guard case .postgres(let url) = database.location else { throw CancellationError() }
            self.url = url
            dropDatabase = { database.drop() }
        }
        folder = try RepositoryPaths.temporaryFolder("cluster")
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true)
        var configuration = testConfiguration(.postgres(url: url), dataDirectory: folder.appendingPathComponent("setup").path)
        configuration.recording = false
        let app = try await Application.make(.testing)
        do {
            try await configure(app, configuration: configuration)
            cameras = try await app.makeCameras(cameraCount)
            let sealer = try CredentialSealer.load(base64: key, folder: folder.path)
            for camera in cameras {
                try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: clip, loop: true), for: camera, sealer: sealer, now: Date())
            }
            let accounts = Accounts(database: app.db, hasher: BcryptPasswordHasher(cost: 4, pool: app.threadPool))
            for (account, role) in [(administrator, Role.administrator), (operatorUser, Role.operator)] {
                guard let account else { continue }
                let (user, _) = try await accounts.createUser(username: account.username, role: role, actor: "test")
                user.passwordHash = try Bcrypt.hash(account.password, cost: 4)
                user.mustChangePassword = false
                try await user.update(on: app.db)
                if role == .operator {
                    let group = try await accounts.createGroup(name: "every camera", description: "", rule: CameraGroupRule(cameraIds: cameras), actor: "test")
                    _ = try await accounts.setGroups(userID: try user.requireID(), groupIDs: [try group.requireID()], actor: "test")
                }
            }
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Starts node `name` with its own data folder; `wrapper` runs it (``WallClockSkew`` for a wrong clock);
    /// `environment` adds or overrides settings (an empty value removes one).
    /// `databaseURL` replaces the store's address (a proxy in front of it, which a test may cut).
    public func start(_ name: String, wrapper: [String] = [], environment: [String: String] = [:], databaseURL: String? = nil) throws -> MediaProcess {
        let data = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let port = SyntheticRTSPCamera.freePort()
        ports.withLock { $0[name] = port }
        let log = folder.appendingPathComponent("\(name).log").path
        return try MediaProcess(path: "/bin/sh", arguments: [
            "-c", "exec \"$0\" \"$@\" 2>>\(log)"] + wrapper + [ThreeNodeCluster.binary,
            "serve", "--data-dir", data.path, "--database-url", databaseURL ?? url, "--address", "127.0.0.1:\(port)",
        ], environment: ProcessInfo.processInfo.environment.merging([
            "CITYWATCH_METRICS_TOKEN": Self.metricsToken,
            "CITYWATCH_NODE_NAME": name, "CITYWATCH_LEASE_SECONDS": "\(Self.leaseSeconds)",
            "CITYWATCH_CAMERAS_MOVED_PER_MINUTE": "\(Self.movedPerMinute)", "CITYWATCH_CREDENTIALS_KEY": key,
            "CITYWATCH_SEGMENT_SECONDS": "2", "CITYWATCH_ANALYSIS_FRAMES": "false", "CITYWATCH_BCRYPT_COST": "4",
            "CITYWATCH_LOG_LEVEL": "notice", "CITYWATCH_PUBLIC_DIR": RepositoryPaths.publicDirectory.path,
            "CITYWATCH_CLUSTER_SECRET": Self.clusterSecret,
        ].merging(environment) { $1 }) { $1 }.filter { !$0.value.isEmpty })
    }

    /// Node `name`'s gauge `metric` from its `/metrics`.
    public func metric(_ name: String, _ metric: String) throws -> Double? {
        let port = try #require(ports.withLock { $0[name] })
        let text = try runProgram("/usr/bin/curl", ["-sf", "-H", "Authorization: Bearer \(Self.metricsToken)", "http://127.0.0.1:\(port)/metrics"])
        return text.split(separator: "\n").first { $0.hasPrefix(metric + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    public func query(_ sql: String) throws -> [[String]] {
        try runProgram("/usr/bin/psql", [url, "-qAt", "-F", "|", "-c", sql]).split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Live leases: camera → node and epoch.
    public func epochs() throws -> [UUID: String] {
        Dictionary(try query("SELECT camera_id, node || ' ' || epoch FROM camera_leases WHERE node <> '' AND expires_at > now()").compactMap { row in
            UUID(uuidString: row[0]).map { ($0, row[1]) }
        }, uniquingKeysWith: { a, _ in a })
    }

    /// Live leases: camera → node.
    public func holders() throws -> [UUID: String] {
        Dictionary(try query("SELECT camera_id, node FROM camera_leases WHERE node <> '' AND expires_at > now()").compactMap { row in
            UUID(uuidString: row[0]).map { ($0, row[1]) }
        }, uniquingKeysWith: { a, _ in a })
    }

    public struct Segment: Equatable, Sendable {
        public var camera: UUID
        public var node: String
        public var start: Double
        public var end: Double
        public var path: String
    }

    public func segments() throws -> [Segment] {
        try query("SELECT camera_id, coalesce(node, ''), extract(epoch FROM start_at), extract(epoch FROM end_at), path FROM segments").compactMap { row in
            guard let camera = UUID(uuidString: row[0]), let start = Double(row[2]), let end = Double(row[3]) else { return nil }
            return Segment(camera: camera, node: row[1], start: start, end: end, path: row[4])
        }
    }

    /// ffmpeg processes recording `camera`, on any node.
    public func recorders(of camera: UUID) -> Int {
        let listing = (try? runProgram("/usr/bin/pgrep", ["-f", "ffmpeg.*\(camera.uuidString)"])) ?? ""
        return listing.split(separator: "\n").count
    }

    /// Pairs of one camera's segments that overlap by more than `slack` seconds (a segment's
    /// start is named to the second, so one second of overlap is naming, not footage twice).
    public func overlaps(slack: Double = 1.2) throws -> [(Segment, Segment)] {
        var found: [(Segment, Segment)] = []
        for (_, list) in Dictionary(grouping: try segments(), by: \.camera) {
            // Starts are stamped to the second: of two segments begun in the same second (a hand-over
            // within it), the one that ended first began first. Sorting on the start alone put the
            // later one first half the time and read a clean hand-over as 2 s of overlap.
            let sorted = list.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
            for (a, b) in zip(sorted, sorted.dropFirst()) where a.end - b.start > slack { found.append((a, b)) }
        }
        return found
    }

    public func tearDown(_ nodes: [MediaProcess]) {
        for node in nodes where node.isRunning {
            kill(node.pid, SIGCONT)
            node.forceKill()
        }
        // Whatever else runs from the cluster's folder: ffmpegs, a server a wrapper started as its child.
        _ = try? runProgram("/usr/bin/pkill", ["-KILL", "-f", folder.path])
        dropDatabase()
        if ProcessInfo.processInfo.environment["CITYWATCH_KEEP_CLUSTER"] == nil { try? FileManager.default.removeItem(at: folder) }
    }
}

/// A PostgreSQL server of one test's own (`scripts/start-postgres.sh`), which it may stop and
/// start again on the same port.
public struct DedicatedPostgres: Sendable {
    public let url: String
    public let folder: String

    public static func start() async throws -> DedicatedPostgres {
        let script = RepositoryPaths.root.appendingPathComponent("scripts/start-postgres.sh").path
        let parts = try await runProgramDetached("/bin/sh", [script]).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        guard parts.count == 2 else { throw CancellationError() }
        return DedicatedPostgres(url: parts[0], folder: parts[1])
    }

    /// Runs pg_ctl as the server's owner.
    private func pgctl(_ arguments: [String]) throws {
        let bin = try #require(try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").sorted().last.map { "/usr/lib/postgresql/\($0)/bin/pg_ctl" })
        // As start-postgres.sh ran it: as 'postgres' when the tests run as root (PostgreSQL refuses root).
        let command = [bin, "-D", folder + "/data"] + arguments
        if getuid() == 0 {
            _ = try runProgram("/usr/sbin/runuser", ["-u", "postgres", "--"] + command)
        } else {
            _ = try runProgram(command[0], Array(command.dropFirst()))
        }
    }

    /// Stops the server (fast: open connections are cut).
    public func stop() throws { try pgctl(["-m", "fast", "-w", "stop"]) }

    /// Starts it again on its port.
    public func restart() throws {
        let port = try #require(URLComponents(string: url)?.port)
        try pgctl(["-l", folder + "/server.log", "-w", "-t", "60", "-o",
                   "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
                   "start"])
    }

    public func remove() {
        _ = try? runProgram("/bin/sh", [RepositoryPaths.root.appendingPathComponent("scripts/stop-postgres.sh").path, folder])
    }
}


/// A TCP proxy on a loopback port in front of another (Python, one process): a test cuts one
/// node's way to the store by stopping it, while the other nodes still reach the store.
public final class TCPProxy: Sendable {
    public let port: Int
    let target: Int
    let process: Mutex<MediaProcess?>

    public init(to target: Int) throws {
        self.target = target
        port = SyntheticRTSPCamera.freePort()
        process = Mutex(nil)
        try start()
    }

    static let script = """
        import asyncio, sys
        async def pipe(reader, writer):
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except Exception:
                pass
            finally:
                writer.close()
        async def handle(client_reader, client_writer):
            try:
                server_reader, server_writer = await asyncio.open_connection('127.0.0.1', int(sys.argv[2]))
            except Exception:
                client_writer.close()
                return
            await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))
        async def main():
            server = await asyncio.start_server(handle, '127.0.0.1', int(sys.argv[1]), reuse_address=True)
            print('listening', flush=True)
            await server.serve_forever()
        asyncio.run(main())
        """

    /// Starts forwarding (again); returns once the port listens.
    public func start() throws {
        let started = try MediaProcess(path: "/usr/bin/python3", arguments: ["-c", Self.script, String(port), String(target)])
        process.withLock { $0 = started }
        for _ in 0..<50 {
            if (try? runProgram("/usr/bin/python3", ["-c", "import socket; socket.create_connection(('127.0.0.1', \(port)), 1)"])) != nil { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw CancellationError()
    }

    /// Cuts every connection through it and stops listening.
    public func cut() {
        process.withLock { $0?.forceKill(); $0 = nil }
    }
}
