import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Logging
import Vapor
import ServiceLifecycle

/// `citywatch-bench tiers`: moves to the archive against `cp` + `sha256sum`, and a recording
/// node's CPU while it moves against the same node not moving.
struct BenchTiersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiers",
        abstract: "Move throughput to the archive against plain cp + sha256sum of the same files, and recording CPU while moving against not moving.",
        discussion: """
            Throughput: --files files of --megabytes each (random bytes) are indexed as old segments of one camera and moved by the \
            TierMover (copy, fsync, read back, SHA-256 both ways, index switch, delete); the baseline copies the same files with cp \
            and hashes source and copy with sha256sum, then syncs. Runs alternate, --rounds each, page cache warm for both (the files \
            were just written). Recording: --cameras cameras record a generated 1280×720 2 Mbit/s clip for --seconds, once with an \
            archive that takes every segment as it closes plus a backlog of --backlog-megabytes, once without an archive; CPU is the \
            kernel's accounting of the recorders (ffmpeg) and of the CityWatch process (which also moves).
            """)

    @ArgumentParser.Option(help: "Files per throughput round.") var files = 60
    @ArgumentParser.Option(help: "Size of each file, MiB.") var megabytes = 8
    @ArgumentParser.Option(help: "Throughput rounds of each kind.") var rounds = 3
    @ArgumentParser.Option(help: "Cameras recording in the CPU runs.") var cameras = 8
    @ArgumentParser.Option(help: "Seconds each CPU run records.") var seconds = 60
    @ArgumentParser.Option(name: .customLong("backlog-megabytes"), help: "Old footage waiting to move when the moving CPU run starts, MiB.") var backlog = 1024
    @ArgumentParser.Option(name: .customLong("cpu-runs"), help: "CPU runs of each kind, alternating (not moving, moving, …).") var cpuRuns = 3
    @ArgumentParser.Option(name: .customLong("move-rate"), help: "The moving runs' CITYWATCH_ARCHIVE_MOVE_MB_PER_SECOND (0: no limit).") var moveRate = 100
    @ArgumentParser.Option(help: "Folder for the files (its disk is what is measured; default: the temporary folder).") var folder: String?

    func run() async throws {
        let base = URL(fileURLWithPath: folder ?? FileManager.default.temporaryDirectory.path)
            .appendingPathComponent("citywatch-bench-tiers-\(getpid())")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        print("storage tiers: \(files) files × \(megabytes) MiB per round, \(rounds) rounds each; \(cameras) cameras for \(seconds) s per CPU run; folder \(base.path)")
        try await throughput(base.appendingPathComponent("throughput"))
        try await recordingCPU(base.appendingPathComponent("recording"))
    }

    // MARK: Throughput

    private func throughput(_ folder: URL) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configuration = try Configuration.resolve(flags: [.dataDirectory: folder.path, .databaseURL: "sqlite://\(folder.path)/citywatch.sqlite"])
        let bytes = Double(files * megabytes) * 1_048_576
        let (files, megabytes, rounds) = (files, megabytes, rounds)
        let (moverRates, copyRates, moverCPU, copyCPU) = try await withStore(configuration) { app -> ([Double], [Double], [Double], [Double]) in
            var moverRates: [Double] = [], copyRates: [Double] = [], moverCPU: [Double] = [], copyCPU: [Double] = []
            let camera = try await Self.makeCameras(1, app: app, folder: folder)[0]
            for round in 1...rounds {
                // Baseline: cp, then sha256sum of source and copy, then sync.
                let sources = try Self.randomFiles(files, megabytes: megabytes, in: folder.appendingPathComponent("plain-\(round)"))
                let target = folder.appendingPathComponent("plain-copy-\(round)")
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                let childrenBefore = ProcessCPU.children
                let plainStart = ContinuousClock.now
                for source in sources {
                    let copy = target.appendingPathComponent((source as NSString).lastPathComponent).path
                    guard try ChildProcess.run(["/bin/cp", source, copy]).status == 0,
                          try ChildProcess.run(["/usr/bin/sha256sum", source, copy]).status == 0 else { throw ValidationError("cp or sha256sum failed") }
                }
                _ = try ChildProcess.run(["/bin/sync"])
                let plainSeconds = Self.seconds(ContinuousClock.now - plainStart)
                copyRates.append(bytes / plainSeconds)
                copyCPU.append(ProcessCPU.children - childrenBefore)
                try? FileManager.default.removeItem(at: target)
                try? FileManager.default.removeItem(at: folder.appendingPathComponent("plain-\(round)"))

                // CityWatch: the same amount, indexed as segments two days old, moved by the mover.
                var tiered = configuration
                tiered.archiveDirectory = folder.appendingPathComponent("archive-\(round)").path
                tiered.hotMoveBelowFreePercent = 0
                tiered.archiveMoveMegabytesPerSecond = 0  // as fast as it goes
                try FileManager.default.createDirectory(atPath: tiered.archiveDirectory!, withIntermediateDirectories: true)
                let hot = URL(fileURLWithPath: tiered.recordingsDirectory).appendingPathComponent(camera.uuidString)
                let segments = try Self.randomFiles(files, megabytes: megabytes, in: hot, segmentNames: Date().addingTimeInterval(-2 * 86_400))
                for (index, path) in segments.enumerated() {
                    let start = Date().addingTimeInterval(-2 * 86_400 + Double(index * 60))
                    try await RecordingRepository(database: app.db).addSegment(
                        RecordedSegment(cameraID: camera, path: path, start: start, end: start.addingTimeInterval(60), bytes: Int64(megabytes * 1_048_576)),
                        now: Date())
                }
                let mover = TierMover(database: { app.db }, configuration: tiered, archive: ArchiveTier(tiered)!,
                                      logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
                let ownBefore = ProcessCPU.own
                let moveStart = ContinuousClock.now
                let report = try await mover.pass()
                let moveSeconds = Self.seconds(ContinuousClock.now - moveStart)
                guard report.moved == files else { throw ValidationError("the mover moved \(report.moved) of \(files) (\(report.state))") }
                moverRates.append(bytes / moveSeconds)
                moverCPU.append(ProcessCPU.own - ownBefore)
                print(String(format: "  round %d: cp + sha256sum %.0f MiB/s (%.2f CPU s), CityWatch mover %.0f MiB/s (%.2f CPU s)",
                             round, copyRates.last! / 1_048_576, copyCPU.last!, moverRates.last! / 1_048_576, moverCPU.last!))
                try await SegmentModel.query(on: app.db).delete()
                try? FileManager.default.removeItem(atPath: tiered.archiveDirectory!)
            }
            return (moverRates, copyRates, moverCPU, copyCPU)
        }
        let plain = Self.median(copyRates), moved = Self.median(moverRates)
        print(String(format: "throughput (median of %d): cp + sha256sum %.0f MiB/s, %.2f CPU s per GiB; mover %.0f MiB/s, %.2f CPU s per GiB; mover/baseline %.2f×",
                     rounds, plain / 1_048_576, Self.median(copyCPU) / (bytes / 1_073_741_824), moved / 1_048_576,
                     Self.median(moverCPU) / (bytes / 1_073_741_824), moved / plain))
    }

    // MARK: Recording CPU

    private func recordingCPU(_ folder: URL) async throws {
        let tools = MediaTools()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clip = folder.appendingPathComponent("camera.mp4").path
        let made = try await ChildProgram.run(tools.ffmpeg, ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
                                                             "-t", "20", "-c:v", "libx264", "-preset", "veryfast", "-b:v", "2M", "-g", "25", "-bf", "0",
                                                             "-pix_fmt", "yuv420p", "-y", clip])
        guard made.status == 0 else { throw ValidationError("cannot make the test clip: \(made.standardError)") }
        func line(_ name: String, _ run: RecordingRun) -> String {
            String(format: "  %@ recorders (ffmpeg) %.2f CPU s, CityWatch process %.2f CPU s, %d segments recorded, %d moved (%.0f MiB)",
                   name, run.recorders, run.process, run.segments, run.moved, Double(run.movedBytes) / 1_048_576)
        }
        print("recording CPU, \(cameras) cameras × \(seconds) s, 10 s segments, \(cpuRuns) runs of each kind alternating, moves at most \(moveRate == 0 ? "unlimited" : "\(moveRate) MB/s"):")
        var still: [RecordingRun] = [], moving: [RecordingRun] = []
        for run in 1...cpuRuns {
            still.append(try await record(clip: clip, folder: folder.appendingPathComponent("still-\(run)"), moving: false))
            print(line("not moving:", still.last!))
            moving.append(try await record(clip: clip, folder: folder.appendingPathComponent("moving-\(run)"), moving: true))
            print(line("moving:    ", moving.last!))
        }
        let recordersStill = Self.median(still.map(\.recorders)), recordersMoving = Self.median(moving.map(\.recorders))
        let nodeStill = Self.median(still.map { $0.recorders + $0.process }), nodeMoving = Self.median(moving.map { $0.recorders + $0.process })
        let gibMoved = Self.median(moving.map { Double($0.movedBytes) }) / 1_073_741_824
        print(String(format: "  medians: recorders %.2f → %.2f CPU s (moving/not %.3f×); whole node %.2f → %.2f CPU s (%.3f×), the difference %.2f CPU s per GiB moved",
                     recordersStill, recordersMoving, recordersMoving / recordersStill, nodeStill, nodeMoving, nodeMoving / nodeStill,
                     gibMoved > 0 ? (nodeMoving - nodeStill) / gibMoved : 0))
    }

    struct RecordingRun {
        var recorders: Double
        var process: Double
        var segments: Int
        var moved: Int
        var movedBytes: Int64
    }

    private func record(clip: String, folder: URL, moving: Bool) async throws -> RecordingRun {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = try Configuration.resolve(flags: [.dataDirectory: folder.path, .databaseURL: "sqlite://\(folder.path)/citywatch.sqlite",
                                                              .analysisFrames: "false", .segmentSeconds: "10"])
        if moving {
            configuration.archiveDirectory = folder.appendingPathComponent("archive").path
            configuration.archiveAfterHours = 0
            configuration.archiveMoveSeconds = 1
            configuration.archiveMoveMegabytesPerSecond = moveRate
            configuration.hotMoveBelowFreePercent = 0
            try FileManager.default.createDirectory(atPath: configuration.archiveDirectory!, withIntermediateDirectories: true)
        }
        let (cameraCount, seconds, backlog) = (cameras, seconds, backlog)
        let frozen = configuration
        return try await withStore(configuration) { app in
            let sealer = try CredentialSealer.load(base64: nil, folder: folder.appendingPathComponent("keys").path)
            let ids = try await Self.makeCameras(cameraCount, app: app, folder: folder)
            for camera in ids {
                try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: clip, loop: true), for: camera, sealer: sealer, now: Date())
            }
            if moving {
                // A backlog (the archive was away for a while) on the first camera.
                let hot = URL(fileURLWithPath: frozen.recordingsDirectory).appendingPathComponent(ids[0].uuidString)
                let chunk = 16
                for (index, path) in try Self.randomFiles(backlog / chunk, megabytes: chunk, in: hot, segmentNames: Date().addingTimeInterval(-3 * 86_400)).enumerated() {
                    let start = Date().addingTimeInterval(-3 * 86_400 + Double(index * 60))
                    try await RecordingRepository(database: app.db).addSegment(
                        RecordedSegment(cameraID: ids[0], path: path, start: start, end: start.addingTimeInterval(60), bytes: Int64(chunk * 1_048_576)), now: Date())
                }
            }
            let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
            let mover = ArchiveTier(frozen).map { TierMover(database: { app.db }, configuration: frozen, archive: $0, logger: quiet) }
            let service = RecordingService(database: { app.db }, configuration: frozen, sealer: sealer, mover: mover, logger: quiet)
            let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: quiet))
            let (ownBefore, childrenBefore) = (ProcessCPU.own, ProcessCPU.children)
            let started = Date()
            let running = Task { try await group.run() }
            try await Task.sleep(for: .seconds(seconds))
            await group.triggerGracefulShutdown()
            try await running.value
            try await Task.sleep(for: .milliseconds(100))
            let recorded = try await SegmentModel.query(on: app.db).filter(\.$createdAt >= started).count()
            let status = mover?.current
            return RecordingRun(recorders: ProcessCPU.children - childrenBefore, process: ProcessCPU.own - ownBefore, segments: recorded,
                                moved: status?.moves ?? 0, movedBytes: status?.bytesMoved ?? 0)
        }
    }

    // MARK: Helpers

    /// `count` single-camera sites in the store (management numbers `<prefix>-1`…); their camera ids.
    static func makeCameras(_ count: Int, app: Application, folder: URL, prefix: String = "BENCH-TIER") async throws -> [UUID] {
        let rows = (1...count).map { number -> String in
            var record = RegistryRecord()
            record.managementNumber = "\(prefix)-\(number)"
            record.purpose = .crimePrevention
            record.latitude = 37.5 + Double(number) * 0.001
            record.longitude = 127.03
            return RegistryCSVWriter.line(for: record)
        }
        let registry = folder.appendingPathComponent("registry.csv")
        try Data(([RegistryCSVWriter.header] + rows).joined(separator: "\r\n").utf8).write(to: registry)
        _ = try await RegistryImporter(database: app.db).importFile(at: registry.path, actor: "bench")
        return try await RegistryRepository(database: app.db).loadAll().cameras.map(\.id)
    }

    /// Writes `count` files of random bytes into `folder`; named as the recorder names segments
    /// (a minute apart from `segmentNames`) when given.
    static func randomFiles(_ count: Int, megabytes: Int, in folder: URL, segmentNames: Date? = nil) throws -> [String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let block = Data((0..<1_048_576).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return try (0..<count).map { index in
            let name = segmentNames.map { formatter.string(from: $0.addingTimeInterval(Double(index * 60))) } ?? String(format: "file-%04d", index)
            let path = folder.appendingPathComponent(name + ".mp4").path
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw ValidationError("cannot write \(path)")
            }
            defer { try? handle.close() }
            for part in 0..<megabytes {
                // Each MiB differs (the first bytes carry the file and part), so no two files are alike.
                var chunk = block
                withUnsafeBytes(of: (index, part)) { chunk.replaceSubrange(0..<$0.count, with: $0) }
                try handle.write(contentsOf: chunk)
            }
            return path
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
