#if canImport(Glibc)
import Glibc
#endif
import CityWatchDomain
import Foundation
import Logging
import Synchronization

/// Owns one camera's ffmpeg process and everything that flows out of it: recording segments,
/// analysis frames, live video, health.
///
/// The decisions (restart, backoff, stall, gap) come from ``SupervisorStateMachine``; this actor
/// only carries them out. Pipes are drained on threads of their own so the process never
/// waits on CityWatch.
public actor CameraPipeline {
    /// How the pipeline records.
    public struct Settings: Sendable {
        public var segmentSeconds = 60
        public var frames = RecordingCommand.FrameFormat()
        public var timing = SupervisorStateMachine.Timing()
        public var timeoutSeconds = 10
        /// Decode the stream for analysis frames (off: recording and live only).
        public var analysisFrames = true

        public init(segmentSeconds: Int = 60, frames: RecordingCommand.FrameFormat = .init(),
                    timing: SupervisorStateMachine.Timing = .init(), timeoutSeconds: Int = 10, analysisFrames: Bool = true) {
            self.segmentSeconds = segmentSeconds
            self.frames = frames
            self.analysisFrames = analysisFrames
            self.timing = timing
            self.timeoutSeconds = timeoutSeconds
        }
    }

    public nonisolated let cameraID: UUID
    public nonisolated let live = LiveHub()
    public nonisolated let frames: FrameTap
    let stream: CameraStream
    let segmentFolder: String
    let runtimeFolder: String
    let tools: MediaTools
    let settings: Settings
    let clock: @Sendable () -> Date
    let onEvent: @Sendable (PipelineEvent) -> Void
    let logger: Logger

    private var machine: SupervisorStateMachine
    private var process: MediaProcess?
    private var processGeneration = 0
    private var readers: [PipeReader] = []
    /// The running process's input scripts (a password in clear; see ``RecordingCommand``).
    private var scripts: [RecordingCommand.InputScript] = []
    /// True until the scripts are removed: once video flows (ffmpeg has read them) or it ends.
    private var scriptsOnDisk = false
    private var wakeTask: Task<Void, Never>?
    private var listTask: Task<Void, Never>?
    private var listOffset = 0
    /// When the segment list last gave a line (or the process started): a list silent for longer
    /// than a segment and a margin sends the pipeline to look in the folder itself.
    private var listHeardAt = Date.distantPast
    /// Names this pipeline's lists are told apart by from any an earlier server left behind.
    private let listToken = String(UUID().uuidString.prefix(8)).lowercased()
    private let pidFile: RecorderPIDFile
    private var reported: Set<String> = []
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []
    /// The last reason the stream failed, for maintenance.
    public private(set) var lastProblem: String?

    public init(cameraID: UUID, stream: CameraStream, segmentFolder: String, runtimeFolder: String,
                tools: MediaTools = MediaTools(), settings: Settings = Settings(),
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "citywatch.camera"),
                onEvent: @escaping @Sendable (PipelineEvent) -> Void) {
        self.cameraID = cameraID
        self.stream = stream
        self.segmentFolder = segmentFolder
        self.runtimeFolder = runtimeFolder
        self.tools = tools
        self.settings = settings
        self.clock = clock
        self.onEvent = onEvent
        self.frames = FrameTap(width: settings.frames.width, height: settings.frames.height)
        self.machine = SupervisorStateMachine(timing: settings.timing)
        self.pidFile = RecorderPIDFile(runtimeFolder: runtimeFolder, segmentFolder: segmentFolder)
        var logger = logger
        logger[metadataKey: "camera"] = .string(cameraID.uuidString)
        self.logger = logger
    }

    /// The camera's health now.
    public var health: CameraHealth { machine.health }

    /// Starts recording (and keeps it going until ``stop(reason:)``).
    ///
    /// First it clears what an earlier run may have left: a recorder still writing into the
    /// folder (the server was killed) is ended, and the segment lists of earlier runs are removed
    /// — ffmpeg truncates its list only once it has opened the camera, and a list read before that
    /// would put the reading position past every line the new process writes.
    public func start() async {
        do {
            try FileManager.default.createDirectory(atPath: segmentFolder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: runtimeFolder, withIntermediateDirectories: true)
            // The input scripts hold the camera's password: nobody but CityWatch's user looks in here.
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: runtimeFolder)
        } catch {
            lastProblem = "cannot create folders: \(error.localizedDescription)"
        }
        if let orphan = await pidFile.endOrphan() {
            logger.warning("ended the recorder an earlier server left running", metadata: ["pid": .stringConvertible(orphan)])
            await adoptUnlistedSegments(keepingNewest: false)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: runtimeFolder)) ?? []
        where name.hasPrefix("segments-") && name.hasSuffix(".csv") {
            unlink((runtimeFolder as NSString).appendingPathComponent(name))
        }
        perform(machine.start(now: clock()))
    }

    /// Stops the process, waits for it to finish its last segment, and indexes it.
    public func stop(reason: String) async {
        perform(machine.stop(now: clock(), reason: reason))
        if process != nil {
            await withCheckedContinuation { exitWaiters.append($0) }
        }
        wakeTask?.cancel()
        listTask?.cancel()
    }

    // MARK: - Carrying out actions

    private func perform(_ actions: [SupervisorStateMachine.Action]) {
        for action in actions {
            switch action {
            case .launch(let generation):
                launch(generation: generation)
            case let .terminate(generation, reason):
                guard generation == processGeneration, let process, process.isRunning else { continue }
                logger.info("stopping ffmpeg", metadata: ["reason": .string(reason)])
                process.terminate()
                Task {
                    try? await Task.sleep(for: .seconds(5))
                    process.forceKill()
                }
            case .wake(let at):
                wakeTask?.cancel()
                wakeTask = Task { [weak self, clock] in
                    let delay = max(0, at.timeIntervalSince(clock()))
                    try? await Task.sleep(for: .milliseconds(Int(delay * 1000) + 5))
                    guard !Task.isCancelled else { return }
                    await self?.tick()
                }
            case let .health(from, to, at, reason):
                let reason = stream.scrubbed(reason)
                if to == .offline || to == .stalled { lastProblem = reason }
                logger.notice("camera health", metadata: ["from": .string(from.rawValue), "to": .string(to.rawValue), "reason": .string(reason)])
                if to == .reconnecting { PipelineMetrics.count(PipelineMetrics.ffmpegRestarts) }
                onEvent(.health(cameraID: cameraID, from: from, to: to, at: at, reason: reason))
            case let .gap(from, to):
                PipelineMetrics.count(PipelineMetrics.recordingGaps)
                onEvent(.gap(cameraID: cameraID, from: from, to: to))
            }
        }
    }

    private func tick() {
        perform(machine.tick(now: clock()))
    }

    private func dataArrived(generation: Int) {
        // Video flows: ffmpeg has read its input scripts long since.
        if generation == processGeneration, scriptsOnDisk { removeScripts() }
        perform(machine.dataReceived(generation: generation, now: clock()))
    }

    private var listPath: String { (runtimeFolder as NSString).appendingPathComponent("segments-\(listToken)-\(processGeneration).csv") }

    private func launch(generation: Int) {
        processGeneration = generation
        listOffset = 0
        listHeardAt = clock()
        unlink(listPath)
        live.reset()
        readers.forEach { $0.stop() }
        readers = []
        let framePath = (runtimeFolder as NSString).appendingPathComponent("frames.fifo")
        let livePath = (runtimeFolder as NSString).appendingPathComponent("live.fifo")
        let command = RecordingCommand(stream: stream, segmentFolder: segmentFolder, segmentList: listPath,
                                       framePipe: framePath, livePipe: livePath, segmentSeconds: settings.segmentSeconds,
                                       frames: settings.frames, analysisFrames: settings.analysisFrames, timeoutSeconds: settings.timeoutSeconds,
                                       scriptFolder: runtimeFolder)
        do {
            removeScripts()
            scripts = command.inputScripts
            scriptsOnDisk = true
            for script in scripts { try InputScriptFile.write(script) }
            try PipeReader.makeFIFO(at: framePath)
            try PipeReader.makeFIFO(at: livePath)
            let notifier = DataNotifier(generation: generation, pipeline: self, clock: clock)
            let assembler = FrameAssembler(tap: frames, frameBytes: settings.frames.frameBytes, clock: clock)
            if settings.analysisFrames {
                readers.append(try PipeReader(path: framePath) { bytes in
                    assembler.append(bytes)
                    notifier.arrived()
                })
            }
            readers.append(try PipeReader(path: livePath) { [live] bytes in
                live.ingest(bytes)
                notifier.arrived()
            })
            logger.debug("starting ffmpeg", metadata: ["command": .string(command.redactedArguments.joined(separator: " "))])
            let process = try MediaProcess(
                path: tools.ffmpeg, arguments: command.arguments,
                environment: ProcessInfo.processInfo.environment.merging(["TZ": "UTC"]) { $1 }
            ) { [weak self] exit in
                Task { await self?.processExited(generation: generation, status: exit.status, signalled: exit.signalled, tail: []) }
            }
            self.process = process
            pidFile.write(process.pid)
            startListPolling()
        } catch {
            removeScripts()
            lastProblem = stream.scrubbed("cannot start ffmpeg: \(error)")
            perform(machine.processExited(generation: generation, reason: lastProblem!, now: clock()))
        }
    }

    private func processExited(generation: Int, status: Int32, signalled: Bool, tail: [String]) async {
        guard generation == processGeneration else { return }
        let errorLines = process?.standardErrorTail ?? tail
        process = nil
        pidFile.remove()
        removeScripts()
        readers.forEach { $0.stop() }
        readers = []
        listTask?.cancel()
        readNewListLines()
        unlink(listPath)
        await adoptUnlistedSegments(keepingNewest: false)
        let tail = errorLines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let how = signalled ? "was stopped by signal \(status)" : "exited with status \(status)"
        // Scrubbed whole, then cut: a cut first could leave part of the password. The script's
        // path in ffmpeg's message reads better as the URL it stands for.
        let message = tail.map { line in
            scripts.reduce(stream.scrubbed(line)) { $0.replacingOccurrences(of: $1.path, with: $1.shownAs) }
        }
        let reason = "ffmpeg \(how)" + (message.map { ": " + String($0.prefix(300)) } ?? "")
        perform(machine.processExited(generation: generation, reason: reason, now: clock()))
        let waiters = exitWaiters
        exitWaiters = []
        waiters.forEach { $0.resume() }
    }

    private func removeScripts() {
        InputScriptFile.remove(scripts)
        scriptsOnDisk = false
    }

    // MARK: - Segments

    private func startListPolling() {
        listTask?.cancel()
        listTask = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                await self?.readNewListLines()
                await self?.lookInFolderWhenListIsSilent()
            }
        }
    }

    private func readNewListLines() {
        guard let handle = FileHandle(forReadingAtPath: listPath) else { return }
        defer { try? handle.close() }
        // A list shorter than what was read was begun anew: read it from the start.
        if let size = try? handle.seekToEnd(), size < UInt64(listOffset) { listOffset = 0 }
        try? handle.seek(toOffset: UInt64(listOffset))
        guard let data = try? handle.readToEnd(), !data.isEmpty else { return }
        let text = String(decoding: data, as: UTF8.self)
        guard let lastNewline = text.lastIndex(of: "\n") else { return }
        let complete = text[...lastNewline]
        listOffset += complete.utf8.count
        listHeardAt = clock()
        for line in complete.split(separator: "\n") {
            guard let entry = SegmentListLine(line: String(line)) else { continue }
            report(file: entry.fileName, duration: entry.duration)
        }
    }

    private func report(file name: String, duration: Double) {
        let fileName = (name as NSString).lastPathComponent
        guard !reported.contains(fileName) else { return }
        let path = (segmentFolder as NSString).appendingPathComponent(fileName)
        // A line that names no file here (a torn line, another run's list) indexes nothing.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return }
        reported.insert(fileName)
        let bytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let start = SegmentListLine.startTime(ofFile: fileName) ?? clock().addingTimeInterval(-duration)
        onEvent(.segmentClosed(RecordedSegment(cameraID: cameraID, path: path, start: start,
                                               end: start.addingTimeInterval(duration), bytes: bytes)))
    }

    /// The segment the running process is writing, or nil when none runs (see ``OpenSegment``).
    public func segmentBeingWritten() -> OpenSegment? {
        guard process != nil else { return nil }
        readNewListLines() // a segment closed since the last poll is not the open one
        let names = (try? FileManager.default.contentsOfDirectory(atPath: segmentFolder)) ?? []
        return OpenSegment.newest(fileNames: names, reported: reported, folder: segmentFolder)
    }

    /// The list should give a line every segment; when it has been silent for a segment and
    /// ten seconds while ffmpeg runs, the closed segments are found in the folder instead, so a
    /// list that fails for whatever reason never keeps footage out of the index.
    private func lookInFolderWhenListIsSilent() async {
        guard process != nil, clock().timeIntervalSince(listHeardAt) > Double(settings.segmentSeconds) + 10 else { return }
        listHeardAt = clock()
        let found = await adoptUnlistedSegments(keepingNewest: true)
        if !found.isEmpty {
            logger.warning("the segment list was silent: closed segments found in the folder and indexed",
                           metadata: ["segments": .stringConvertible(found.count)])
            onEvent(.segmentsFoundInFolder(cameraID: cameraID, paths: found))
        }
    }

    /// Probes every segment in the folder that no list reported and indexes what plays (after a
    /// crash the segment being written has no list line); removes what does not. While ffmpeg
    /// runs, `keepingNewest` leaves the newest file alone: it is the one being written. Returns
    /// the paths indexed.
    @discardableResult
    private func adoptUnlistedSegments(keepingNewest: Bool) async -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: segmentFolder)) ?? []).filter { $0.hasSuffix(".mp4") }.sorted()
        let closed = keepingNewest ? names.dropLast() : names[...]
        var adopted: [String] = []
        for name in closed where !reported.contains(name) {
            let path = (segmentFolder as NSString).appendingPathComponent(name)
            let facts = await MediaProbe(tools: tools).facts(of: path)
            guard !reported.contains(name) else { continue }  // its list line came while probing
            if let facts, facts.duration > 0 {
                report(file: name, duration: facts.duration)
                adopted.append(path)
            } else {
                reported.insert(name)
                try? FileManager.default.removeItem(atPath: path)
                onEvent(.unusableSegment(cameraID: cameraID, path: path, reason: "no playable video (cut off before its first fragment); removed"))
            }
        }
        return adopted
    }

    /// Files already indexed by an earlier run, so they are not reported again.
    public func markIndexed(_ fileNames: some Sequence<String>) {
        reported.formUnion(fileNames)
    }

    fileprivate func noteData(generation: Int) {
        dataArrived(generation: generation)
    }
}

/// Tells the pipeline that video is flowing, at most once a second (the pipe threads see
/// every chunk; the actor needs to know only that the stream is alive).
private final class DataNotifier: Sendable {
    let generation: Int
    weak let pipeline: CameraPipeline?
    let clock: @Sendable () -> Date
    private let last = Mutex<Date>(.distantPast)

    init(generation: Int, pipeline: CameraPipeline, clock: @escaping @Sendable () -> Date) {
        self.generation = generation
        self.pipeline = pipeline
        self.clock = clock
    }

    func arrived() {
        let now = clock()
        let due = last.withLock { last -> Bool in
            guard now.timeIntervalSince(last) >= 1 else { return false }
            last = now
            return true
        }
        guard due, let pipeline else { return }
        let generation = generation
        Task { await pipeline.noteData(generation: generation) }
    }
}

/// Cuts the raw yuv420p byte stream into frames for the tap.
private final class FrameAssembler: Sendable {
    let tap: FrameTap
    let frameBytes: Int
    let clock: @Sendable () -> Date
    private let partial = Mutex<[UInt8]>([])

    init(tap: FrameTap, frameBytes: Int, clock: @escaping @Sendable () -> Date) {
        self.tap = tap
        self.frameBytes = frameBytes
        self.clock = clock
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        let complete: [[UInt8]] = partial.withLock { buffer in
            buffer.append(contentsOf: bytes)
            var frames: [[UInt8]] = []
            while buffer.count >= frameBytes {
                frames.append(Array(buffer[0..<frameBytes]))
                buffer.removeFirst(frameBytes)
            }
            return frames
        }
        let now = clock()
        for frame in complete { tap.publish(frame, at: now) }
    }
}

