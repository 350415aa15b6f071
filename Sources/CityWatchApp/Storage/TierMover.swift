import CityWatchDomain
import CityWatchStore
import Crypto
import FluentKit
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Moves recorded footage from this node's recordings folder (the hot tier) to the shared
/// archive once it is old enough for its purpose, or sooner, oldest first, when the hot disk
/// runs short of space.
///
/// A move copies the file beside its final name in the archive, verifies the copy (size and
/// SHA-256 against what was read), renames it into place, switches the segment's index row to
/// it in one transaction, and only then deletes the hot copy. Killed at any step it leaves one
/// indexed copy, and ``SegmentReconciler`` removes the stray one at the next start.
///
/// When the archive is missing, unmounted or full, moves pause (recording goes on in the hot
/// tier), the state is published (`/metrics`, `GET /api/storage`) and maintenance gets an alarm
/// once per outage.
public final class TierMover: Sendable {
    /// How moving stands, for `/metrics` and the console.
    public struct Status: Sendable, Equatable {
        /// The archive's state: `ok`, `unavailable` or `full` (`unknown` before the first look).
        public var archiveState = "unknown"
        public var archiveReason: String?
        /// Since when the archive has been in that state.
        public var archiveSince: Date?
        public var moves = 0
        public var bytesMoved: Int64 = 0
        public var failures = 0
        public var lastFailure: String?
        /// Segments due to move that are still in the hot tier after the last pass.
        public var duePending = 0
        /// How long the oldest of them has been due, seconds (0 when none is).
        public var lagSeconds: Double = 0
        /// Bytes a second of the last pass that moved anything.
        public var lastRate: Double = 0
        public var lastPassAt: Date?
    }

    /// What one pass did.
    public struct PassReport: Sendable, Equatable {
        public var moved = 0
        public var bytes: Int64 = 0
        public var failed = 0
        public var state: ArchiveTier.State = .ok
    }

    /// A copy that could not be made or did not match what was read.
    public struct MoveFailure: Error, CustomStringConvertible {
        public var description: String
    }

    let database: @Sendable () -> any Database
    let configuration: Configuration
    public let archive: ArchiveTier
    /// This node's name in a cluster; nil on a single node (every segment is its own).
    let node: String?
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Tells maintenance the archive cannot take footage.
    let alarm: @Sendable (Alarm) async -> Void
    /// Taken for each move, and by the retention sweeper for each sweep: the two never change
    /// the same footage at once.
    let footage: OneAtATime
    let killPoints: KillPoints
    private let status = Mutex(Status())

    public init(database: @escaping @Sendable () -> any Database, configuration: Configuration, archive: ArchiveTier, node: String? = nil,
                footage: OneAtATime = OneAtATime(), killPoints: KillPoints = KillPoints(),
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "citywatch.archive"),
                alarm: @escaping @Sendable (Alarm) async -> Void = { _ in }) {
        self.database = database
        self.configuration = configuration
        self.archive = archive
        self.node = node
        self.footage = footage
        self.killPoints = killPoints
        self.clock = clock
        self.logger = logger
        self.alarm = alarm
    }

    /// The node name written into the archive's marker and copies in progress.
    var nodeName: String { node ?? configuration.nodeName }

    /// How moving stands now.
    public var current: Status { status.withLock { $0 } }

    /// Passes every ``Configuration/archiveMoveSeconds`` until cancelled.
    public func run() async {
        logger.notice("footage moves to the archive", metadata: [
            "archive": .string(archive.folder), "afterHours": .stringConvertible(configuration.archiveAfterHours)])
        while !Task.isCancelled {
            do { _ = try await pass() } catch {
                logger.error("moving footage to the archive failed", metadata: ["error": .string(String(reflecting: error))])
            }
            try? await Task.sleep(for: .seconds(configuration.archiveMoveSeconds))
        }
    }

    /// Purpose codes to the hours after which their footage moves, from the settings
    /// (`archive.purpose.<code>`).
    public static func purposeHours(_ settings: [String: String]) -> [String: Double] {
        var hours: [String: Double] = [:]
        for (key, value) in settings {
            guard let number = Double(value), number >= 0, number.isFinite else { continue }
            hours[String(key.dropFirst(Self.settingPrefix.count))] = number
        }
        return hours
    }

    /// The settings' prefix for a purpose's move age.
    public static let settingPrefix = "archive.purpose."

    /// Each camera's move age in seconds (its purpose's, else `defaultHours`).
    static func moveAges(_ db: any Database, defaultHours: Double) async throws -> [UUID: TimeInterval] {
        let hours = Self.purposeHours(try await Settings(database: db).all(prefixed: Self.settingPrefix))
        let (sites, cameras) = try await RegistryRepository(database: db).loadAll()
        let purpose = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, $0.record.purpose.code) })
        return Dictionary(cameras.map { camera in
            (camera.id, (purpose[camera.siteID].flatMap { hours[$0] } ?? defaultHours) * 3_600)
        }, uniquingKeysWith: { a, _ in a })
    }

    /// Looks at the archive and moves what is due. Returns what it did; `onMoved` hears after
    /// each segment moved how the pass stands and how many segments it looks at (a command
    /// line shows progress with it).
    public func pass(onMoved: (@Sendable (PassReport, Int) -> Void)? = nil) async throws -> PassReport {
        let db = database()
        let repository = RecordingRepository(database: db)
        var archived = try await repository.totals(tier: .archive)
        let now = clock()
        var report = PassReport()
        report.state = archive.state(archived: archived, node: nodeName, now: now)
        // While the archive cannot take footage nothing moves, but what is due is still counted.
        let ages = try await Self.moveAges(db, defaultHours: configuration.archiveAfterHours)
        let defaultAge = configuration.archiveAfterHours * 3_600
        var hotBytes = try await repository.totals(tier: .hot, node: node).bytes
        // What may be due (ended before the shortest move age), and under pressure the oldest whatever their age.
        var hot = try await repository.hotSegmentsOldestFirst(node: node, endedBefore: now.addingTimeInterval(-min(ages.values.min() ?? defaultAge, defaultAge)))
        if hotUnderPressure(hotBytes: hotBytes) {
            let known = Set(hot.compactMap(\.id))
            hot = (hot + (try await repository.hotSegmentsOldestFirst(node: node, limit: Self.pressureBatch)).filter { !known.contains($0.id!) })
                .sorted { $0.start < $1.start }
        }
        let started = ContinuousClock.now
        var pending: [SegmentModel] = []
        for segment in hot {
            let due = segment.end <= now.addingTimeInterval(-(ages[segment.cameraID] ?? defaultAge))
            guard due || hotUnderPressure(hotBytes: hotBytes) else { continue }
            guard !Task.isCancelled, report.state == .ok else {
                if due { pending.append(segment) }
                continue
            }
            let room = archive.room(for: segment.bytes, archivedBytes: archived.bytes, disk: DiskSpace.of(archive.folder))
            guard room == .ok else {
                report.state = room
                if due { pending.append(segment) }
                continue
            }
            do {
                let began = ContinuousClock.now
                let moved = try await footage.run { try await move(segment) }
                // At most the configured rate: wait out what the copy was faster than it.
                if moved, configuration.archiveMoveMegabytesPerSecond > 0 {
                    let allowed = Double(segment.bytes) / (Double(configuration.archiveMoveMegabytesPerSecond) * 1_000_000)
                    let spent = Self.seconds(ContinuousClock.now - began)
                    if allowed > spent { try? await Task.sleep(for: .seconds(allowed - spent)) }
                }
                if moved {
                    report.moved += 1
                    report.bytes += segment.bytes
                    archived.segments += 1
                    archived.bytes += segment.bytes
                    hotBytes -= segment.bytes
                    // Counted as it goes: a backlog's pass may last an hour.
                    status.withLock {
                        $0.moves += 1
                        $0.bytesMoved += segment.bytes
                    }
                    onMoved?(report, hot.count)
                }
            } catch {
                report.failed += 1
                if due { pending.append(segment) }
                status.withLock {
                    $0.failures += 1
                    $0.lastFailure = String(describing: error)
                }
                logger.error("a segment could not be moved to the archive", metadata: [
                    "path": .string(segment.path), "error": .string(String(reflecting: error))])
                // Several failures in a row: the archive may have gone; look at it again.
                if report.failed >= 3 {
                    let state = archive.state(archived: archived, node: nodeName, now: clock())
                    if state != .ok { report.state = state }
                }
            }
        }
        let seconds = Self.seconds(ContinuousClock.now - started)
        let end = clock()
        // Once per pass, what the pass ended with: a pass that finds the archive full at its
        // first due segment does not first say it takes footage again.
        await publish(report.state, at: end)
        status.withLock { status in
            if report.moved > 0, seconds > 0 { status.lastRate = Double(report.bytes) / seconds }
            status.duePending = pending.count
            status.lagSeconds = pending.map { segment in
                end.timeIntervalSince(segment.end) - (ages[segment.cameraID] ?? defaultAge)
            }.max().map { max(0, $0) } ?? 0
            status.lastPassAt = end
        }
        if report.moved > 0 {
            logger.info("footage moved to the archive", metadata: [
                "segments": .stringConvertible(report.moved), "bytes": .stringConvertible(report.bytes)])
        }
        return report
    }

    /// How many of the oldest hot segments a pass looks at when the hot tier must shed footage.
    static let pressureBatch = 2_000

    /// True when the hot tier should give up its oldest footage whatever its age.
    func hotUnderPressure(hotBytes: Int64) -> Bool {
        Self.hotExcess(configuration, hotBytes: hotBytes) > 0
    }

    /// The bytes the hot tier holding `hotBytes` must give up: beyond 90 % of its quota, or
    /// what its disk lacks to be above the move watermark (the larger).
    public static func hotExcess(_ configuration: Configuration, hotBytes: Int64) -> Int64 {
        var excess: Int64 = 0
        if let quota = configuration.recordingQuotaBytes { excess = max(excess, hotBytes - quota / 10 * 9) }
        if let disk = DiskSpace.of(configuration.recordingsDirectory) {
            excess = max(excess, disk.bytesShort(ofFreePercent: configuration.hotMoveBelowFreePercent))
        }
        return excess
    }

    /// Moves one segment: copy, verify, rename, switch the index, delete the hot copy. False
    /// when its row changed meanwhile (the copy is then removed).
    func move(_ segment: SegmentModel) async throws -> Bool {
        let id = try segment.requireID()
        let source = segment.path
        let name = (source as NSString).lastPathComponent
        guard FileManager.default.fileExists(atPath: source) else {
            // Gone from the hot disk under the index (what the reconciler marks at start).
            logger.warning("a segment due to move is not on disk: marked missing", metadata: ["path": .string(source)])
            try await RecordingRepository(database: database()).markMissing([id])
            return false
        }
        let target = archive.path(camera: segment.cameraID, name: name)
        let folder = (target as NSString).deletingLastPathComponent
        let repository = RecordingRepository(database: database())
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw MoveFailure(description: "cannot make the archive folder \(folder): \(error.localizedDescription)")
        }
        if FileManager.default.fileExists(atPath: target) {
            // A copy an earlier move made but never switched to (the reconciler removes those at
            // start), unless a row points at it: then it is someone's footage.
            guard try await SegmentModel.query(on: database()).filter(\.$path == target).first() == nil else {
                throw MoveFailure(description: "\(target) is already indexed as another segment")
            }
            try FileManager.default.removeItem(atPath: target)
        }
        let part = (folder as NSString).appendingPathComponent(ArchiveTier.partName(of: name, node: nodeName))
        let digest = try await Self.copyVerified(from: source, to: part, killPoints: killPoints)
        guard rename(part, target) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: part)
            throw MoveFailure(description: "cannot rename the copy into \(target): \(reason)")
        }
        Self.syncFolder(folder)
        killPoints.reach("copied")
        let points = killPoints
        let switched = try await repository.switchTier(id, from: source, to: target, tier: .archive, sha256: digest) {
            points.reach("switch")
        }
        guard switched else {
            // Deleted by retention, marked missing, or moved by someone else: the copy is not wanted.
            if try await SegmentModel.query(on: database()).filter(\.$path == target).first() == nil {
                try? FileManager.default.removeItem(atPath: target)
            }
            return false
        }
        killPoints.reach("delete")
        do { try FileManager.default.removeItem(atPath: source) } catch {
            logger.warning("the hot copy of a moved segment could not be deleted (it is removed at the next start)", metadata: [
                "path": .string(source), "error": .string("\(error)")])
        }
        return true
    }

    /// Copies `source` to `part` (flushed to its disk), reading it once and hashing what was
    /// read, then reads the copy back and checks its size and SHA-256 against that. Returns the
    /// hex digest. Runs on a thread of its own: file I/O must not hold the server's threads.
    static func copyVerified(from source: String, to part: String, killPoints: KillPoints) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                do {
                    continuation.resume(returning: try copyVerifiedNow(from: source, to: part, killPoints: killPoints))
                } catch {
                    try? FileManager.default.removeItem(atPath: part)
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    static let chunkBytes = 1 << 20

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func copyVerifiedNow(from source: String, to part: String, killPoints: KillPoints) throws -> String {
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw MoveFailure(description: "cannot read \(source)")
        }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: part, contents: nil), let output = FileHandle(forWritingAtPath: part) else {
            throw MoveFailure(description: "cannot write \(part)")
        }
        var hash = SHA256()
        var copied: Int64 = 0
        do {
            defer { try? output.close() }
            while let chunk = try input.read(upToCount: chunkBytes), !chunk.isEmpty {
                hash.update(data: chunk)
                try output.write(contentsOf: chunk)
                copied += Int64(chunk.count)
                killPoints.reach("copy")
            }
            guard fsync(output.fileDescriptor) == 0 else {
                throw MoveFailure(description: "cannot flush \(part) to its disk: \(String(cString: strerror(errno)))")
            }
        }
        let digest = hex(hash.finalize())
        // Read the copy back: its size and hash must be what was read from the source.
        guard let check = FileHandle(forReadingAtPath: part) else { throw MoveFailure(description: "cannot read back \(part)") }
        defer { try? check.close() }
        var again = SHA256()
        var size: Int64 = 0
        while let chunk = try check.read(upToCount: chunkBytes), !chunk.isEmpty {
            again.update(data: chunk)
            size += Int64(chunk.count)
        }
        guard size == copied else {
            throw MoveFailure(description: "the copy \(part) has \(size) bytes, the source \(copied)")
        }
        guard hex(again.finalize()) == digest else {
            throw MoveFailure(description: "the copy \(part) does not match its source (SHA-256 differs)")
        }
        return digest
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Flushes a folder's entries (a rename in it) to its disk.
    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Records the archive's state; on a change, says so in the log, and when the archive stops
    /// taking footage, raises an alarm for maintenance.
    private func publish(_ state: ArchiveTier.State, at now: Date) async {
        let previous = status.withLock { status -> String in
            let previous = status.archiveState
            if previous != state.name || status.archiveReason != state.reason {
                if previous != state.name { status.archiveSince = now }
                status.archiveState = state.name
                status.archiveReason = state.reason
            }
            return previous
        }
        guard previous != state.name else { return }
        switch state {
        case .ok:
            if previous != "unknown" {
                logger.notice("the archive takes footage again: moves go on", metadata: ["archive": .string(archive.folder)])
            }
        case .unavailable(let reason), .full(let reason):
            logger.warning("the archive cannot take footage: moves pause, recording goes on in the recordings folder", metadata: [
                "archive": .string(archive.folder), "state": .string(state.name), "reason": .string(reason)])
            let unavailable = state.name == "unavailable"
            await alarm(Alarm(source: .storage, sourceRef: "archive:\(nodeName):\(state.name)", priority: .high,
                              title: unavailable ? "보관 저장소 사용 불가 · Archive unavailable (node \(nodeName))"
                                                 : "보관 저장소 가득 참 · Archive full (node \(nodeName))",
                              detail: reason + ". Footage stays in the recordings folder until the archive is back"
                                  + (unavailable ? "; archived footage cannot be played meanwhile." : "."),
                              raisedAt: now))
        }
    }
}
