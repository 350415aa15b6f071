#if canImport(Glibc)
import Glibc
#endif
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Dispatch
import Fluent
import Foundation
import Synchronization

/// Everything a cluster benchmark starts, and its end: a folder, a throwaway PostgreSQL
/// (`scripts/start-postgres.sh`), the cameras' clip, the cameras in the store, `citywatch
/// serve` nodes and plain ffmpeg processes, each node or ffmpeg in a process group of its own.
///
/// ``run(options:label:_:)`` ends every one of them however the benchmark ends — normally,
/// with an error, or on Ctrl-C (SIGINT), SIGTERM or SIGHUP — and then checks /proc that no
/// process naming the benchmark's folders is left. Only SIGKILL of the benchmark itself leaves
/// them running: every one names the folder printed at the start on its command line.
final class BenchCluster: Sendable {
    let options: ClusterBenchOptions
    /// CITYWATCH_CAMERAS_MOVED_PER_MINUTE of the nodes.
    let movedPerMinute: Int
    let cityWatch: String
    let folder: URL
    /// The cameras' credentials key, given to every node (CITYWATCH_CREDENTIALS_KEY).
    let key: String
    private let state = Mutex(State())

    private struct State {
        var postgres: (url: String, folder: String)?
        var clip: String?
        var cameras: [UUID] = []
        var nodes: [String: ProcessGroup] = [:]
        /// Every group ever started here, the ended ones too (a group can outlive its leader).
        var groups: [ProcessGroup] = []
        var tornDown = false
    }

    private init(options: ClusterBenchOptions, label: String, movedPerMinute: Int) throws {
        self.options = options
        self.movedPerMinute = options.movedPerMinute ?? movedPerMinute
        cityWatch = try options.cityWatch ?? ChildProcess.cityWatchPath()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-bench-\(label)-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        key = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }

    /// Runs `body` with a new cluster fixture and always ends every process it started.
    /// `movedPerMinute` is the command's default for ``ClusterBenchOptions/movedPerMinute``.
    static func run<Result: Sendable>(options: ClusterBenchOptions, label: String, movedPerMinute: Int,
                                      _ body: @Sendable (BenchCluster) async throws -> Result) async throws -> Result {
        // Progress lines as they happen, also when the output goes to a file or a pipe.
        // (C's `stdout` variable, found by name: Swift 6 refuses to touch the global itself.)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "stdout"),
           let output = symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee {
            setvbuf(output, nil, _IOLBF, 0)
        }
        let cluster = try BenchCluster(options: options, label: label, movedPerMinute: movedPerMinute)
        let signals = cluster.endOnSignals()
        defer { signals.forEach { $0.cancel() } }
        print("folder: \(cluster.folder.path) (node logs\(options.keep ? ", kept" : ", removed at the end"))")
        let result: Result
        do {
            result = try await body(cluster)
        } catch {
            cluster.tearDown()
            try? cluster.checkNothingLeft()
            throw error
        }
        cluster.tearDown()
        try cluster.checkNothingLeft()
        return result
    }

    // MARK: Setting up

    var databaseURL: String {
        get throws {
            guard let url = state.withLock({ $0.postgres?.url }) else { throw BenchFailure("PostgreSQL is not started") }
            return url
        }
    }

    var store: PostgresProbe { get throws { PostgresProbe(url: try databaseURL) } }

    var cameras: [UUID] { state.withLock { $0.cameras } }

    var clip: String {
        get throws {
            guard let clip = state.withLock({ $0.clip }) else { throw BenchFailure("the clip is not made") }
            return clip
        }
    }

    /// Starts the throwaway PostgreSQL server (fsync off, as for the tests).
    func startPostgres() async throws {
        let script = try RepositoryScript.path("start-postgres.sh")
        let started = try await ChildProgram.run("/bin/sh", [script], timeout: 120)
        let parts = started.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        guard started.status == 0, parts.count == 2 else {
            throw BenchFailure("scripts/start-postgres.sh failed (status \(started.status)): \(started.standardError)")
        }
        state.withLock { $0.postgres = (parts[0], parts[1]) }
    }

    /// Makes the cameras' clip once: 30 s of a moving test picture encoded as a camera would.
    func makeClip() async throws {
        let path = folder.appendingPathComponent("camera.mp4").path
        let made = try await ChildProgram.run(MediaTools().ffmpeg, [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=\(options.size):rate=25", "-t", "30",
            "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-bf", "0",
            "-b:v", options.bitrate, "-maxrate", options.bitrate, "-bufsize", options.bitrate,
            "-g", "\(options.gop)", "-keyint_min", "\(options.gop)", "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-an", "-y", path,
        ], timeout: 600)
        guard made.status == 0 else { throw BenchFailure("cannot make the cameras' clip with ffmpeg: \(made.standardError)") }
        state.withLock { $0.clip = path }
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.doubleValue ?? 0
        print("clip: \(options.streamDescription); \(String(format: "%.2f", bytes * 8 / 30 / 1e6)) Mbit/s as made")
    }

    /// Puts `count` cameras in the store, each streaming the clip in a loop: a district of
    /// single-camera sites over about 4 × 4 km with the registry's usual mix of purposes.
    func makeCameras(_ count: Int) async throws {
        let url = try databaseURL, clip = try clip, key = key, setup = folder.appendingPathComponent("setup")
        try FileManager.default.createDirectory(at: setup, withIntermediateDirectories: true)
        let configuration = try Configuration.resolve(flags: [.dataDirectory: setup.path, .databaseURL: url])
        let purposes: [CameraPurpose] = [.crimePrevention, .crimePrevention, .childProtection, .crimePrevention, .trafficEnforcement,
                                         .crimePrevention, .childProtection, .disasterWatch, .crimePrevention, .multipurpose]
        let side = Int(Double(count).squareRoot().rounded(.up))
        let ids = try await withStore(configuration) { app -> [UUID] in
            let rows = (0..<count).map { index -> String in
                var record = RegistryRecord()
                record.managementNumber = "CLUSTER-\(index + 1)"
                record.purpose = purposes[index % purposes.count]
                record.latitude = 37.48 + Double(index / side) * 0.036 / Double(side)
                record.longitude = 127.02 + Double(index % side) * 0.045 / Double(side)
                return RegistryCSVWriter.line(for: record)
            }
            let registry = setup.appendingPathComponent("registry.csv")
            try Data(([RegistryCSVWriter.header] + rows).joined(separator: "\r\n").utf8).write(to: registry)
            _ = try await RegistryImporter(database: app.db).importFile(at: registry.path, actor: "bench")
            // The first administrator is made here, as an installation makes it: nodes that
            // start together on a store without one race to make it, and the losers exit
            // (a unique-key error from PostgreSQL).
            _ = try await configuration.accounts(app).bootstrapAdministrator()
            let sealer = try CredentialSealer.load(base64: key, folder: setup.path)
            let cameras = try await RegistryRepository(database: app.db).loadAll().cameras.map(\.id)
            for camera in cameras {
                try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: clip, loop: true), for: camera, sealer: sealer, now: Date())
            }
            return cameras
        }
        guard ids.count == count else { throw BenchFailure("the registry import made \(ids.count) cameras, not \(count)") }
        state.withLock { $0.cameras = ids }
    }

    // MARK: Nodes and plain ffmpegs

    /// Starts node `name` (again, after a kill: the same name and data folder).
    @discardableResult
    func startNode(_ name: String, capacity: Int) throws -> ProcessGroup {
        let data = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment.merging([
            "CITYWATCH_NODE_NAME": name, "CITYWATCH_NODE_CAPACITY": "\(capacity)",
            "CITYWATCH_LEASE_SECONDS": "\(options.leaseSeconds)", "CITYWATCH_CAMERAS_MOVED_PER_MINUTE": "\(movedPerMinute)",
            "CITYWATCH_CREDENTIALS_KEY": key, "CITYWATCH_SEGMENT_SECONDS": "\(options.segmentSeconds)",
            "CITYWATCH_ANALYSIS_FRAMES": "false", "CITYWATCH_DETECTOR_MODEL": "none", "CITYWATCH_ROAD_NETWORK": "none",
            "CITYWATCH_TILE_URL": "none", "CITYWATCH_LOG_LEVEL": options.nodeLogLevel,
        ]) { $1 }
        if let console = RepositoryScript.publicFolder { environment["CITYWATCH_PUBLIC_DIR"] = environment["CITYWATCH_PUBLIC_DIR"] ?? console }
        let node = try ProcessGroup(name: name, path: cityWatch, arguments: [
            "serve", "--data-dir", data.path, "--database-url", try databaseURL, "--address", "127.0.0.1:\(Self.freePort())",
        ], environment: environment, logPath: folder.appendingPathComponent("\(name).log").path)
        state.withLock {
            $0.nodes[name] = node
            $0.groups.append(node)
        }
        return node
    }

    /// The running node `name`.
    func node(_ name: String) -> ProcessGroup? { state.withLock { $0.nodes[name] } }

    /// Kills node `name` and every process it started (SIGKILL to its process group, as when
    /// its machine dies) and waits until they are gone.
    func killNode(_ name: String) async {
        guard let node = state.withLock({ $0.nodes.removeValue(forKey: name) }) else { return }
        await node.killGroupAndWait()
    }

    /// Process groups of the running nodes.
    var nodeGroups: [String: pid_t] { state.withLock { $0.nodes.mapValues(\.pid) } }

    /// Starts a plain ffmpeg (the baseline) in a process group of its own.
    func startPlain(_ name: String, arguments: [String]) throws -> ProcessGroup {
        let process = try ProcessGroup(name: name, path: MediaTools().ffmpeg, arguments: arguments,
                                       environment: ProcessInfo.processInfo.environment.merging(["TZ": "UTC"]) { $1 },
                                       logPath: folder.appendingPathComponent("plain-ffmpeg.log").path)
        state.withLock { $0.groups.append(process) }
        return process
    }

    /// The last lines of node `name`'s log, for an error message.
    func logTail(_ name: String, lines: Int = 8) -> String {
        let text = (try? String(contentsOf: folder.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n    ")
    }

    /// The PostgreSQL server's processes: the postmaster and its children.
    var postgresProcesses: [ProcessTable.Entry] {
        guard let folder = state.withLock({ $0.postgres?.folder }),
              let text = try? String(contentsOfFile: folder + "/data/postmaster.pid", encoding: .utf8),
              let postmaster = pid_t(text.split(separator: "\n").first ?? "") else { return [] }
        return ProcessTable.all().filter { $0.pid == postmaster || $0.parent == postmaster }
    }

    // MARK: Ending

    /// Kills every process group started here, stops PostgreSQL and removes the folders. Runs
    /// once; safe from a signal handler's queue.
    func tearDown() {
        let (groups, postgres) = state.withLock { state -> ([ProcessGroup], (url: String, folder: String)?) in
            guard !state.tornDown else { return ([], nil) }
            state.tornDown = true
            return (state.groups, state.postgres)
        }
        groups.forEach { $0.killGroup() }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, groups.contains(where: { $0.isRunning || ProcessTable.hasMembers(group: $0.pid) }) {
            groups.forEach { $0.killGroup() }
            usleep(50_000)
        }
        if let postgres, let script = try? RepositoryScript.path("stop-postgres.sh") {
            _ = try? ChildProcess.run(["/bin/sh", script, postgres.folder], outputPath: folder.appendingPathComponent("stop-postgres.out").path)
        }
        if !options.keep { try? FileManager.default.removeItem(at: folder) }
    }

    /// Fails when a process naming the benchmark's folder or its PostgreSQL folder still runs.
    func checkNothingLeft() throws {
        let names = [folder.path] + (state.withLock { $0.postgres?.folder }.map { [$0] } ?? [])
        let left = names.flatMap(ProcessTable.commandLinesContaining)
        guard left.isEmpty else {
            throw BenchFailure("processes left running after the benchmark:\n  " + left.joined(separator: "\n  "))
        }
        print("left running: nothing (no process names \(names.joined(separator: " or ")))")
    }

    /// Ends everything on SIGINT (Ctrl-C), SIGTERM and SIGHUP, then exits. The sources must be
    /// kept until the benchmark ends.
    private func endOnSignals() -> [any DispatchSourceSignal] {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                FileHandle.standardError.write(Data("\nsignal \(number): stopping every node, ffmpeg and PostgreSQL started here…\n".utf8))
                tearDown()
                try? checkNothingLeft()
                exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
        return sources
    }

    /// A TCP port free on the loopback address now.
    static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
