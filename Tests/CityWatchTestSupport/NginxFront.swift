import CityWatchMedia
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Debian's nginx in front of running CityWatch nodes, configured from the templates that ship in
/// `deploy/nginx/` (rendered by `deploy/nginx/render-conf.sh`, as `make cluster` and a real set-up
/// do), with a fresh self-signed certificate for 127.0.0.1, on free loopback ports.
///
/// nginx runs in the foreground out of a temporary folder (`nginx -p DIR -c DIR/nginx.conf`); its
/// `access.log` names the node that answered each request (`upstream=…`). ``stop()`` ends it and
/// removes the folder. A missing nginx or openssl is an error that says what to install: a test
/// of the front never passes without one.
public final class NginxFront: Sendable {
    /// What went wrong starting the front.
    public enum Failure: Error, CustomStringConvertible {
        /// A program the front needs is not installed.
        case missingTool(path: String, package: String)
        /// nginx ended or never listened; the last lines of its error log.
        case notStarted(attempts: Int, errorLog: String)
        /// No node to put behind the front.
        case noUpstreams

        public var description: String {
            switch self {
            case let .missingTool(path, package):
                return "\(path) is missing: install it with `apt-get install \(package)` (scripts/install-deps.sh does)"
            case let .notStarted(attempts, errorLog):
                return "nginx did not start (\(attempts) attempts); its error log ends:\n\(errorLog)"
            case .noUpstreams:
                return "NginxFront needs at least one upstream port"
            }
        }
    }

    static let nginx = "/usr/sbin/nginx"
    static let openssl = "/usr/bin/openssl"

    /// The HTTPS port the front listens on (127.0.0.1).
    public let httpsPort: Int
    /// The plain-HTTP port, which only redirects to HTTPS.
    public let httpPort: Int
    /// The console's address through the front: `https://127.0.0.1:PORT`.
    public var url: String { "https://127.0.0.1:\(httpsPort)" }
    /// The self-signed certificate (PEM) the front presents; trust it as a CA (`curl --cacert`).
    public let certificate: String
    /// nginx's folder: configuration, certificate, logs.
    public let folder: URL
    private let process: MediaProcess
    private let exited: DispatchSemaphore
    private let stopped = Mutex(false)

    /// Starts nginx in front of the CityWatch nodes listening on `upstreams` (ports on 127.0.0.1).
    public init(upstreams: [Int]) throws {
        guard !upstreams.isEmpty else { throw Failure.noUpstreams }
        for (path, package) in [(Self.nginx, "nginx"), (Self.openssl, "openssl")] where !FileManager.default.isExecutableFile(atPath: path) {
            throw Failure.missingTool(path: path, package: package)
        }
        let folder = try RepositoryPaths.temporaryFolder("nginx")
        // nginx's workers run as an unprivileged user when it is started as root: they must reach
        // their temporary folders inside this one.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        let certificate = folder.appendingPathComponent("front.pem").path
        let key = folder.appendingPathComponent("front.key").path
        do {
            _ = try runProgram(Self.openssl, [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key, "-out", certificate,
            ])
            (httpsPort, httpPort, process, exited) = try Self.launch(in: folder, upstreams: upstreams, certificate: certificate, key: key)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        self.folder = folder
        self.certificate = certificate
    }

    deinit {
        stop()
    }

    /// Stops nginx (SIGTERM: open connections are cut, as a front going away would) and removes
    /// its folder. Safe to call more than once.
    public func stop() {
        guard stopped.withLock({ done in defer { done = true }; return !done }) else { return }
        process.terminate()
        if exited.wait(timeout: .now() + 10) == .timedOut {
            process.forceKill()
            exited.wait()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// nginx's error log so far (connection failures to nodes are logged there).
    public var errorLog: String { Self.errorLog(in: folder) }

    /// nginx's access log so far: one line per request, with `status=` and `upstream="…"`.
    public var accessLog: String {
        (try? String(contentsOf: folder.appendingPathComponent("access.log"), encoding: .utf8)) ?? ""
    }

    /// The node (`127.0.0.1:PORT`, or several when one was passed over) and the status of each
    /// request answered so far, in order, from the access log.
    public var answeredBy: [(upstream: String, status: Int)] {
        accessLog.split(separator: "\n").compactMap { line in
            guard let upstream = line.firstMatch(of: /upstream="([^"]*)"/)?.1,
                  let status = line.firstMatch(of: /status=(\d+)/).flatMap({ Int($0.1) }) else { return nil }
            return (String(upstream), status)
        }
    }

    private static func errorLog(in folder: URL) -> String {
        (try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
    }

    /// Renders the configuration on free ports and starts nginx; the ports, the process and a
    /// semaphore signalled when it ends.
    private static func launch(in folder: URL, upstreams: [Int], certificate: String, key: String) throws
        -> (https: Int, http: Int, process: MediaProcess, exited: DispatchSemaphore) {
        for attempt in 1...3 {
            // A free port may be taken by someone else before nginx binds it: then try others.
            let (https, http) = (SyntheticRTSPCamera.freePort(), SyntheticRTSPCamera.freePort())
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("error.log"))
            try render(in: folder, upstreams: upstreams, httpsPort: https, httpPort: http, certificate: certificate, key: key)
            let exited = DispatchSemaphore(value: 0)
            let process = try MediaProcess(path: nginx, arguments: [
                "-p", folder.path + "/", "-e", folder.appendingPathComponent("error.log").path,
                "-c", folder.appendingPathComponent("nginx.conf").path,
            ], onExit: { _ in exited.signal() })
            if waitUntilListening(port: https, while: process) { return (https, http, process, exited) }
            process.forceKill()
            exited.wait()
            let log = errorLog(in: folder)
            guard log.contains("Address already in use"), attempt < 3 else {
                let tail = log.split(separator: "\n").suffix(10).map(String.init) + process.standardErrorTail
                throw Failure.notStarted(attempts: attempt, errorLog: tail.joined(separator: "\n"))
            }
        }
        throw Failure.notStarted(attempts: 3, errorLog: errorLog(in: folder))
    }

    /// Writes `nginx.conf` (the prefix wrapper) and `citywatch.conf` (the site) from the shipped templates.
    private static func render(in folder: URL, upstreams: [Int], httpsPort: Int, httpPort: Int, certificate: String, key: String) throws {
        let deploy = RepositoryPaths.root.appendingPathComponent("deploy/nginx")
        let script = deploy.appendingPathComponent("render-conf.sh").path
        let site = folder.appendingPathComponent("citywatch.conf")
        let siteText = try runProgram("/bin/sh", [script, deploy.appendingPathComponent("citywatch.conf.template").path,
                                                  "SERVER_NAME=127.0.0.1 localhost", "LISTEN_ADDRESS=127.0.0.1",
                                                  "HTTPS_PORT=\(httpsPort)", "HTTP_PORT=\(httpPort)",
                                                  "CERTIFICATE=\(certificate)", "CERTIFICATE_KEY=\(key)"]
                                                 + upstreams.map { "NODE=127.0.0.1:\($0)" })
        try Data(siteText.utf8).write(to: site)
        let main = try runProgram("/bin/sh", [script, deploy.appendingPathComponent("nginx-prefix.conf.template").path, "SITE=\(site.path)"])
        try Data(main.utf8).write(to: folder.appendingPathComponent("nginx.conf"))
    }

    /// True once a TCP connection to `port` succeeds; false if `process` ends first or 10 s pass.
    private static func waitUntilListening(port: Int, while process: MediaProcess) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while process.isRunning, ContinuousClock.now < deadline {
            if canConnect(port: port) { return true }
            usleep(20_000)
        }
        return false
    }

    private static func canConnect(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
