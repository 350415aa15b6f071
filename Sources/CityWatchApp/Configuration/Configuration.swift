import CityWatchDomain
import CityWatchStore
import Foundation

/// Everything a CityWatch process needs to know about its installation, built once from
/// flags, the environment and an optional file, and passed down explicitly.
///
/// Precedence: a command-line flag beats the environment, which beats the file, which beats
/// the default. The file holds the same `CITYWATCH_…` names as the environment, one
/// `NAME=value` per line (`#` starts a comment).
public struct Configuration: Sendable {
    /// Folder for the SQLite file, keys and (later) recordings. Default `./.citywatch`.
    public var dataDirectory: String
    /// The database. Default: SQLite at `<dataDirectory>/citywatch.sqlite`.
    public var database: DatabaseLocation
    /// Host the HTTP server binds to. Default `127.0.0.1`.
    public var httpHost: String
    /// Port the HTTP server binds to. Default `8080`.
    public var httpPort: Int
    /// Folder of the console files, when configured; nil: the server looks for them beside its
    /// binary and in `./Public` (``ConsoleFolder``), and refuses to start without them.
    public var publicDirectory: String?
    /// Folder of Debian's JavaScript packages, served at `/vendor/`. Default `/usr/share/javascript`.
    public var vendorDirectory: String
    /// Base-map tile URL template, or nil for a plain background.
    public var tileURL: String?
    /// Attribution shown for the tiles.
    public var tileAttribution: String
    /// bcrypt cost factor (each step doubles the work). Default 12.
    public var bcryptCost: Int
    /// A session ends after this long without a request. Default 8 h (one shift).
    public var sessionIdleTimeout: TimeInterval
    /// A session ends this long after login whatever happens. Default 12 h.
    public var sessionLifetime: TimeInterval
    /// Mark cookies `Secure` (sent over HTTPS only). Default on unless the server listens on a
    /// loopback address (the demo on a laptop, a server behind a local front).
    public var secureCookies: Bool

    /// True for an address only this machine reaches (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return name == "localhost" || name == "::1" || name.hasPrefix("127.")
    }

    /// `text` or `json` log lines. Default `text`.
    public var logFormat: LogFormat
    /// Minimum log level. Default `info`.
    public var logLevel: String
    /// Where recordings go. Default `<dataDirectory>/recordings`.
    public var recordingsDirectory: String
    /// Length of a recording segment in seconds. Default 60.
    public var segmentSeconds: Int
    /// Disk the recordings may use, in bytes; nil for no quota.
    public var recordingQuotaBytes: Int64?
    /// The archive tier: a folder (typically a NAS mount, at the same path on every node of a
    /// cluster) that footage moves to from the recordings folder once it is old enough; nil: no
    /// archive, footage stays where it was recorded.
    public var archiveDirectory: String?
    /// Hours after which a segment moves to the archive when its purpose says nothing
    /// (`archive.purpose.<code>` in the settings). Default 24.
    public var archiveAfterHours: Double = 24
    /// Bytes the archive may hold (over every node); nil for no quota.
    public var archiveQuotaBytes: Int64?
    /// Below this share of free space on the recordings folder's disk, its oldest footage moves
    /// to the archive whatever its age. Default 20 (%).
    public var hotMoveBelowFreePercent: Double = 20
    /// Below this share of free space a tier takes no new footage: the archive takes no moves,
    /// and the oldest footage not under a legal hold is freed until it is above again. Default 5 (%).
    public var tierRefuseBelowFreePercent: Double = 5
    /// Seconds between looks for footage to move (and at the archive's state). Default 60.
    public var archiveMoveSeconds = 60
    /// Megabytes a second moves may copy at most (a backlog after an outage must not take the
    /// node's CPU and disks from recording and analysis); 0: no limit. Default 100.
    public var archiveMoveMegabytesPerSecond = 100
    /// Days footage is kept when neither the camera nor its purpose says otherwise. Default 30.
    public var defaultRetentionDays: Int
    /// Minutes between retention sweeps. Default 5.
    public var retentionSweepMinutes: Int
    /// Days an evidence export (its folder and zip, on every node that holds a copy) is kept
    /// after it was made; longer while a legal hold covers footage it holds. Default 30.
    public var exportKeepDays = 30
    /// Minutes between signed audit checkpoints written by `serve` (also at start and at
    /// shutdown, and only when the log moved). Default 15.
    public var auditCheckpointMinutes = 15
    /// Seconds without video before a stream counts as stalled. Default 10.
    public var stallSeconds: Int
    /// Seconds a closed segment may wait for its row before the camera's indexing counts as
    /// stalled (health `indexingStalled`, a metric, an error in the log). Default 15.
    public var indexStallSeconds = 15
    /// The bearer token `GET /metrics` asks for; nil: metrics are not served (the counts tell an
    /// outsider which routes and cameras exist and how busy the center is).
    public var metricsToken: String?
    /// Proxies (exact addresses or CIDR ranges) whose `X-Forwarded-For` names the client; from
    /// any other peer the header is ignored. Default none.
    public var trustedProxies: [AddressRange] = []
    /// Base64 of the 32-byte key that seals camera passwords (clusters share it); nil keeps a
    /// key file in the data folder.
    public var credentialsKey: String?
    /// Record the cameras that have streams (false for store-only commands and API-only nodes).
    public var recording: Bool
    /// Decode every recorded camera into low-resolution gray frames for analysis. Default true.
    public var analysisFrames: Bool
    /// The person/vehicle detector's ONNX model (YOLOX-nano). Default: `<dataDirectory>/models/
    /// yolox_nano.onnx`, else `../shared/models/yolox_nano.onnx` when present; without a model,
    /// analytics run on motion alone and say so at start.
    public var detectorModel: String?
    /// The road network (a SUMO `.net.xml`) cast-net follows escape routes on. Default:
    /// `<dataDirectory>/roads.net.xml`, else `../shared/data/gangnam.net.xml` when present;
    /// `none` or no file: cast-net draws rings only, and says so.
    public var roadNetwork: String?

    /// This node's name in a cluster (PostgreSQL store): unique among the nodes. Default: the
    /// host's name.
    public var nodeName: String = RegistryStaging.hostName.isEmpty ? "node" : RegistryStaging.hostName
    /// The address the other nodes reach this one at (`http://host:port`). Default: the HTTP
    /// address, with the host's name for 0.0.0.0.
    public var nodeAddress: String?
    /// Cameras this node may record. Default 64; 0: it records none (an API-only node).
    public var nodeCapacity = 64
    /// Analysis frames a second this node may decode and analyse (each camera takes 5 while
    /// analysis frames are on): fewer cameras than `nodeCapacity` when it binds. Default: no limit.
    public var nodeAnalysisFPS: Int?
    /// Seconds a camera lease lasts without renewal: a dead node's cameras are taken over after
    /// about this long. Default 10.
    public var leaseSeconds = 10
    /// Cameras a minute that may move to a node that joins (the others keep theirs otherwise).
    /// Default 30.
    public var camerasMovedPerMinute = 30
    /// The secret the nodes of a cluster share to sign their requests to each other (live video
    /// relayed, segments read for playback and export). At least 32 characters; nil: this node
    /// neither asks its peers nor answers them.
    public var clusterSecret: String?

    /// The shape of log lines.
    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    /// A setting that could not be used; names the setting and where it came from.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var setting: String
        public var source: String
        public var reason: String
        public var description: String { "\(setting) (from \(source)): \(reason)" }
    }

    /// The names of every setting, as environment variables and file keys.
    public enum Name: String, CaseIterable, Sendable {
        case dataDirectory = "CITYWATCH_DATA_DIR"
        case databaseURL = "CITYWATCH_DATABASE_URL"
        case httpAddress = "CITYWATCH_HTTP_ADDRESS"
        case publicDirectory = "CITYWATCH_PUBLIC_DIR"
        case vendorDirectory = "CITYWATCH_VENDOR_DIR"
        case tileURL = "CITYWATCH_TILE_URL"
        case tileAttribution = "CITYWATCH_TILE_ATTRIBUTION"
        case bcryptCost = "CITYWATCH_BCRYPT_COST"
        case sessionIdleMinutes = "CITYWATCH_SESSION_IDLE_MINUTES"
        case sessionLifetimeMinutes = "CITYWATCH_SESSION_LIFETIME_MINUTES"
        case secureCookies = "CITYWATCH_SECURE_COOKIES"
        case logFormat = "CITYWATCH_LOG_FORMAT"
        case logLevel = "CITYWATCH_LOG_LEVEL"
        case recordingsDirectory = "CITYWATCH_RECORDINGS_DIR"
        case segmentSeconds = "CITYWATCH_SEGMENT_SECONDS"
        case recordingQuotaGB = "CITYWATCH_RECORDING_QUOTA_GB"
        case defaultRetentionDays = "CITYWATCH_RETENTION_DAYS"
        case retentionSweepMinutes = "CITYWATCH_RETENTION_SWEEP_MINUTES"
        case exportKeepDays = "CITYWATCH_EXPORT_KEEP_DAYS"
        case archiveDirectory = "CITYWATCH_ARCHIVE_DIR"
        case archiveAfterHours = "CITYWATCH_ARCHIVE_AFTER_HOURS"
        case archiveQuotaGB = "CITYWATCH_ARCHIVE_QUOTA_GB"
        case hotMoveBelowFreePercent = "CITYWATCH_HOT_MOVE_BELOW_FREE_PERCENT"
        case tierRefuseBelowFreePercent = "CITYWATCH_TIER_REFUSE_BELOW_FREE_PERCENT"
        case archiveMoveSeconds = "CITYWATCH_ARCHIVE_MOVE_SECONDS"
        case archiveMoveMegabytesPerSecond = "CITYWATCH_ARCHIVE_MOVE_MB_PER_SECOND"
        case auditCheckpointMinutes = "CITYWATCH_AUDIT_CHECKPOINT_MINUTES"
        case stallSeconds = "CITYWATCH_STALL_SECONDS"
        case indexStallSeconds = "CITYWATCH_INDEX_STALL_SECONDS"
        case credentialsKey = "CITYWATCH_CREDENTIALS_KEY"
        case recording = "CITYWATCH_RECORDING"
        case analysisFrames = "CITYWATCH_ANALYSIS_FRAMES"
        case detectorModel = "CITYWATCH_DETECTOR_MODEL"
        case roadNetwork = "CITYWATCH_ROAD_NETWORK"
        case metricsToken = "CITYWATCH_METRICS_TOKEN"
        case trustedProxies = "CITYWATCH_TRUSTED_PROXIES"
        case nodeName = "CITYWATCH_NODE_NAME"
        case nodeAddress = "CITYWATCH_NODE_ADDRESS"
        case nodeCapacity = "CITYWATCH_NODE_CAPACITY"
        case nodeAnalysisFPS = "CITYWATCH_NODE_ANALYSIS_FPS"
        case leaseSeconds = "CITYWATCH_LEASE_SECONDS"
        case camerasMovedPerMinute = "CITYWATCH_CAMERAS_MOVED_PER_MINUTE"
        case clusterSecret = "CITYWATCH_CLUSTER_SECRET"
    }

    /// OpenStreetMap's standard tiles, the default base map.
    public static let openStreetMapTiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

    /// Builds the configuration. `flags` uses the same names as the environment.
    public static func resolve(flags: [Name: String] = [:], environment: [String: String] = [:],
                               fileText: String? = nil, fileName: String = "configuration file") throws -> Configuration {
        let file = try parseFile(fileText ?? "", name: fileName)
        func lookup(_ name: Name) -> (value: String, source: String)? {
            if let value = flags[name] { return (value, "command line") }
            if let value = environment[name.rawValue] { return (value, "environment \(name.rawValue)") }
            if let value = file[name.rawValue] { return (value, fileName) }
            return nil
        }
        func problem(_ name: Name, _ source: String, _ reason: String) -> Problem {
            Problem(setting: name.rawValue, source: source, reason: reason)
        }
        let dataDirectory = lookup(.dataDirectory)?.value ?? ".citywatch"
        var database = DatabaseLocation.sqlite(path: (dataDirectory as NSString).appendingPathComponent("citywatch.sqlite"))
        if let (value, source) = lookup(.databaseURL) {
            do { database = try DatabaseLocation(url: value) } catch { throw problem(.databaseURL, source, error.description) }
        }
        var host = "127.0.0.1", port = 8080
        if let (value, source) = lookup(.httpAddress) {
            guard let colon = value.lastIndex(of: ":"), let parsed = Int(value[value.index(after: colon)...]),
                  (0...65535).contains(parsed) else {
                throw problem(.httpAddress, source, "'\(value)' is not HOST:PORT (e.g. 0.0.0.0:8080)")
            }
            host = String(value[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            port = parsed
        }
        func integer(_ name: Name, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let (text, source) = lookup(name) else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw problem(name, source, "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        func boolean(_ name: Name, default value: Bool) throws -> Bool {
            guard let (text, source) = lookup(name) else { return value }
            switch text.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw problem(name, source, "'\(text)' is not true or false")
            }
        }
        var logFormat = LogFormat.text
        if let (text, source) = lookup(.logFormat) {
            guard let format = LogFormat(rawValue: text.lowercased()) else { throw problem(.logFormat, source, "'\(text)' is not text or json") }
            logFormat = format
        }
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        let logLevel = lookup(.logLevel)?.value.lowercased() ?? "info"
        guard levels.contains(logLevel) else {
            throw problem(.logLevel, lookup(.logLevel)?.source ?? "", "'\(logLevel)' is not one of \(levels.joined(separator: ", "))")
        }
        var tileURL: String? = openStreetMapTiles
        if let (text, source) = lookup(.tileURL) {
            if text.isEmpty || text.lowercased() == "none" {
                tileURL = nil
            } else {
                guard text.hasPrefix("https://") || text.hasPrefix("http://") || text.hasPrefix("/"),
                      text.contains("{z}"), text.contains("{x}"), text.contains("{y}") else {
                    throw problem(.tileURL, source, "'\(text)' must be an http(s) URL template with {z}, {x} and {y}, or none")
                }
                tileURL = text
            }
        }
        func gigabytes(_ name: Name) throws -> Int64? {
            guard let (text, source) = lookup(name), !text.isEmpty else { return nil }
            guard let gigabytes = Double(text), gigabytes > 0, gigabytes < 1_000_000 else {
                throw problem(name, source, "'\(text)' is not a positive number of gigabytes")
            }
            return Int64(gigabytes * 1_073_741_824)
        }
        func decimal(_ name: Name, default value: Double, range: ClosedRange<Double>, unit: String) throws -> Double {
            guard let (text, source) = lookup(name) else { return value }
            guard let number = Double(text), number.isFinite, range.contains(number) else {
                throw problem(name, source, "'\(text.prefix(40))' is not a number of \(unit) from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())")
            }
            return number
        }
        let quota = try gigabytes(.recordingQuotaGB)
        var configuration = Configuration(
            dataDirectory: dataDirectory,
            database: database,
            httpHost: host,
            httpPort: port,
            publicDirectory: lookup(.publicDirectory).map(\.value).flatMap { $0.isEmpty ? nil : $0 },
            vendorDirectory: lookup(.vendorDirectory)?.value ?? "/usr/share/javascript",
            tileURL: tileURL,
            tileAttribution: lookup(.tileAttribution)?.value ?? "© OpenStreetMap contributors",
            bcryptCost: try integer(.bcryptCost, default: 12, range: 4...31),
            sessionIdleTimeout: TimeInterval(try integer(.sessionIdleMinutes, default: 480, range: 1...10_080) * 60),
            sessionLifetime: TimeInterval(try integer(.sessionLifetimeMinutes, default: 720, range: 1...43_200) * 60),
            // Off the loopback address the session cookie is sent over HTTPS only, unless told.
            secureCookies: try boolean(.secureCookies, default: !Self.isLoopback(host)),
            logFormat: logFormat,
            logLevel: logLevel,
            recordingsDirectory: lookup(.recordingsDirectory)?.value ?? (dataDirectory as NSString).appendingPathComponent("recordings"),
            segmentSeconds: try integer(.segmentSeconds, default: 60, range: 2...3_600),
            recordingQuotaBytes: quota,
            defaultRetentionDays: try integer(.defaultRetentionDays, default: 30, range: 1...3_650),
            retentionSweepMinutes: try integer(.retentionSweepMinutes, default: 5, range: 1...1_440),
            stallSeconds: try integer(.stallSeconds, default: 10, range: 2...600),
            credentialsKey: lookup(.credentialsKey)?.value,
            recording: try boolean(.recording, default: true),
            analysisFrames: try boolean(.analysisFrames, default: true),
            detectorModel: lookup(.detectorModel)?.value ?? [
                ((dataDirectory as NSString).appendingPathComponent("models") as NSString).appendingPathComponent("yolox_nano.onnx"),
                "../shared/models/yolox_nano.onnx",
            ].first { FileManager.default.fileExists(atPath: $0) },
            roadNetwork: lookup(.roadNetwork).map { $0.value.lowercased() == "none" || $0.value.isEmpty ? nil : $0.value } ?? [
                (dataDirectory as NSString).appendingPathComponent("roads.net.xml"), "../shared/data/gangnam.net.xml",
            ].first { FileManager.default.fileExists(atPath: $0) })
        configuration.indexStallSeconds = try integer(.indexStallSeconds, default: 15, range: 2...3_600)
        if let (token, source) = lookup(.metricsToken), !token.isEmpty {
            guard token.count >= 24, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw problem(.metricsToken, source, "a metrics token is at least 24 characters without spaces (e.g. `openssl rand -hex 16`)")
            }
            configuration.metricsToken = token
        }
        if let (text, source) = lookup(.trustedProxies), !text.isEmpty {
            configuration.trustedProxies = try text.split(separator: ",").map { part in
                let entry = part.trimmingCharacters(in: .whitespaces)
                guard let range = AddressRange(entry) else {
                    throw problem(.trustedProxies, source, "'\(entry.prefix(60))' is not an IP address or CIDR range (10.0.0.5, 10.0.0.0/24, ::1)")
                }
                return range
            }
        }
        configuration.auditCheckpointMinutes = try integer(.auditCheckpointMinutes, default: 15, range: 1...1_440)
        configuration.exportKeepDays = try integer(.exportKeepDays, default: 30, range: 1...3_650)
        if let (folder, source) = lookup(.archiveDirectory), !folder.isEmpty {
            guard folder.hasPrefix("/") else {
                throw problem(.archiveDirectory, source, "'\(folder.prefix(80))' is not an absolute path (every node must find the archive at the same path)")
            }
            let standard = (folder as NSString).standardizingPath
            let given = configuration.recordingsDirectory
            let recordings = ((given.hasPrefix("/") ? given : FileManager.default.currentDirectoryPath + "/" + given) as NSString).standardizingPath
            guard !(standard + "/").hasPrefix(recordings + "/"), !(recordings + "/").hasPrefix(standard + "/") else {
                throw problem(.archiveDirectory, source, "the archive must be a folder apart from the recordings folder (\(configuration.recordingsDirectory)), not inside it or around it")
            }
            configuration.archiveDirectory = standard
        }
        configuration.archiveAfterHours = try decimal(.archiveAfterHours, default: 24, range: 0...87_600, unit: "hours")
        configuration.archiveQuotaBytes = try gigabytes(.archiveQuotaGB)
        configuration.hotMoveBelowFreePercent = try decimal(.hotMoveBelowFreePercent, default: 20, range: 0...99, unit: "percent")
        configuration.tierRefuseBelowFreePercent = try decimal(.tierRefuseBelowFreePercent, default: 5, range: 0...99, unit: "percent")
        configuration.archiveMoveSeconds = try integer(.archiveMoveSeconds, default: 60, range: 1...86_400)
        configuration.archiveMoveMegabytesPerSecond = try integer(.archiveMoveMegabytesPerSecond, default: 100, range: 0...100_000)
        if let (name, source) = lookup(.nodeName) {
            guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw problem(.nodeName, source, "'\(name.prefix(70))' is not a node name (1-64 letters, digits, '-', '_', '.')")
            }
            configuration.nodeName = name
        }
        if let (address, source) = lookup(.nodeAddress), !address.isEmpty {
            guard let url = URL(string: address), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw problem(.nodeAddress, source, "'\(address.prefix(80))' is not an http(s)://host:port address other nodes can reach")
            }
            configuration.nodeAddress = address
        }
        configuration.nodeCapacity = try integer(.nodeCapacity, default: 64, range: 0...100_000)
        if lookup(.nodeAnalysisFPS) != nil { configuration.nodeAnalysisFPS = try integer(.nodeAnalysisFPS, default: 0, range: 0...10_000_000) }
        configuration.leaseSeconds = try integer(.leaseSeconds, default: 10, range: 2...600)
        configuration.camerasMovedPerMinute = try integer(.camerasMovedPerMinute, default: 30, range: 1...100_000)
        if let (secret, source) = lookup(.clusterSecret), !secret.isEmpty {
            guard secret.count >= 32, secret.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw problem(.clusterSecret, source, "a cluster secret is at least 32 characters without spaces, the same on every node (e.g. `openssl rand -hex 32`)")
            }
            configuration.clusterSecret = secret
        }
        return configuration
    }

    /// Reads `NAME=value` lines.
    static func parseFile(_ text: String, name: String) throws -> [String: String] {
        var values: [String: String] = [:]
        let known = Set(Name.allCases.map(\.rawValue))
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw Problem(setting: "line \(number + 1)", source: name, reason: "'\(line.prefix(60))' is not NAME=value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard known.contains(key) else {
                throw Problem(setting: key, source: "\(name) line \(number + 1)", reason: "unknown setting; known: \(known.sorted().joined(separator: ", "))")
            }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            values[key] = value
        }
        return values
    }
}
