import CityWatchDomain
import Foundation

/// Cuts evidence clips out of the recordings by stream copy and writes them, with a signed
/// manifest, to a folder.
///
/// One MP4 per camera covering the requested range: the camera's segments are joined with
/// ffmpeg's concat demuxer and cut without re-encoding, so the video is bit-for-bit what the
/// camera sent. A stream-copy cut can only start on a keyframe, so a clip may begin up to one
/// keyframe interval before the requested time; the manifest says what each clip covers and
/// which stretches of the range were not recorded.
public struct EvidenceExporter: Sendable {
    /// One camera of an export.
    public struct CameraRequest: Sendable {
        public var cameraID: UUID
        public var address: String
        public var purpose: String
        /// The camera's segments overlapping the range, in time order.
        public var segments: [RecordedSegment]
        /// Areas to black out: when there are any, the clip is re-encoded with them hidden
        /// instead of stream-copied (for requesters without the right to see them).
        public var privacyMasks: [ImagePolygon]
        /// Areas to blur (third parties in footage provided to the police, privacy zones
        /// there); the clip is then re-encoded too. Recorded in the manifest.
        public var blurs: [Blur]

        public init(cameraID: UUID, address: String, purpose: String, segments: [RecordedSegment], privacyMasks: [ImagePolygon] = [],
                    blurs: [Blur] = []) {
            self.cameraID = cameraID
            self.address = address
            self.purpose = purpose
            self.segments = segments
            self.privacyMasks = privacyMasks
            self.blurs = blurs
        }
    }

    /// An area blurred in a clip, for the whole clip or between two wall-clock times.
    public struct Blur: Sendable, Equatable {
        /// What was blurred: `privacyZone` (the camera's privacy mask) or `box` (marked by an operator).
        public var kind: String
        public var box: ImageBox
        public var from: Date?
        public var to: Date?

        public init(kind: String, box: ImageBox, from: Date? = nil, to: Date? = nil) {
            self.kind = kind
            self.box = box
            self.from = from
            self.to = to
        }
    }

    public let tools: MediaTools

    public init(tools: MediaTools = MediaTools()) {
        self.tools = tools
    }

    /// How far an export has got: cameras whose clip is written, of all, and the share of the
    /// whole export done (the clip being cut counted by the time it has reached).
    public struct Progress: Sendable, Equatable {
        public var camerasDone: Int
        public var cameras: Int
        /// 0…100.
        public var percent: Int

        public init(camerasDone: Int, cameras: Int, percent: Int? = nil) {
            self.camerasDone = camerasDone
            self.cameras = cameras
            self.percent = percent ?? (cameras > 0 ? camerasDone * 100 / cameras : 100)
        }
    }

    /// Seconds a cut may go without reporting progress before it counts as stuck and is stopped.
    public static let cutIdleSeconds: TimeInterval = 300

    /// The longest a cut of `seconds` of footage may run: generous, as a masked cut re-encodes
    /// (about 9 CPU-seconds a minute of 720p, several times that on a busy node); a cut that
    /// stops progressing is stopped long before, after ``cutIdleSeconds``.
    public static func cutTimeout(seconds: TimeInterval, reencoded: Bool) -> TimeInterval {
        reencoded ? max(3_600, seconds * 4) : max(600, seconds / 2)
    }

    /// The seconds of output an ffmpeg `-progress` report says are done (its last `out_time_us`).
    static func progressSeconds(_ report: String) -> Double? {
        var seconds: Double?
        for line in report.split(separator: "\n") where line.hasPrefix("out_time_us=") {
            if let micros = Double(line.dropFirst("out_time_us=".count)), micros >= 0 { seconds = micros / 1_000_000 }
        }
        return seconds
    }

    /// Exports `cameras` for `from…to` into `folder` (created; must not exist or be empty);
    /// `onProgress` hears before the first clip and after each.
    public func export(cameras: [CameraRequest], from: Date, to: Date, reason: String, requestedBy: String,
                       exportID: UUID = UUID(), provisionRequestID: UUID? = nil,
                       folder: String, key: SigningKey, now: Date = Date(),
                       onProgress: (@Sendable (Progress) -> Void)? = nil) async throws -> EvidenceManifest {
        onProgress?(Progress(camerasDone: 0, cameras: cameras.count))
        let existed = FileManager.default.fileExists(atPath: folder)
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            return try await export(cameras: cameras, from: from, to: to, reason: reason, requestedBy: requestedBy, exportID: exportID,
                                    provisionRequestID: provisionRequestID, into: folder, key: key, now: now, onProgress: onProgress)
        } catch {
            // No half export is left behind to be taken for one: what this export wrote goes.
            if existed {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where !before.contains(name) {
                    try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
                }
            } else {
                try? FileManager.default.removeItem(atPath: folder)
            }
            throw error
        }
    }

    /// The export proper, into `folder` (there and empty); stops between cameras and inside a
    /// cut when the task is cancelled.
    private func export(cameras: [CameraRequest], from: Date, to: Date, reason: String, requestedBy: String, exportID: UUID,
                        provisionRequestID: UUID?, into folder: String, key: SigningKey, now: Date,
                        onProgress: (@Sendable (Progress) -> Void)?) async throws -> EvidenceManifest {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("cw-export-\(exportID.uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var clips: [EvidenceManifest.CameraClip] = []
        for camera in cameras {
            try Task.checkCancellation()
            let segments = camera.segments.filter { $0.end > from && $0.start < to }.sorted { $0.start < $1.start }
            let name = "camera-\(camera.cameraID.uuidString.lowercased()).mp4"
            var clip = EvidenceManifest.CameraClip(cameraId: camera.cameraID, address: camera.address, purpose: camera.purpose,
                                                   file: name, from: from, to: to, coveredFrom: nil, coveredTo: nil,
                                                   missing: Self.missing(segments, from: from, to: to))
            defer { onProgress?(Progress(camerasDone: clips.count, cameras: cameras.count)) }
            guard let first = segments.first else {
                clip.file = ""
                clips.append(clip)
                continue
            }
            let list = (work as NSString).appendingPathComponent("\(camera.cameraID).txt")
            let lines = segments.map { "file '" + $0.path.replacing("'", with: "'\\''") + "'" }.joined(separator: "\n") + "\n"
            try Data(lines.utf8).write(to: URL(fileURLWithPath: list))
            let offset = max(0, from.timeIntervalSince(first.start))
            let start = max(from, first.start)
            let duration = max(0.1, min(to, segments.last!.end).timeIntervalSince(start))
            let output = (folder as NSString).appendingPathComponent(name)
            // Masked clips are re-encoded with the masks burnt in; others are the camera's own bits.
            // Blurs are timed from the clip's first frame, which the accurate input seek puts at `start`.
            let blurs = camera.blurs.compactMap { blur -> BlurFilter.Region? in
                let lower = blur.from.map { $0.timeIntervalSince(start) } ?? 0
                let upper = blur.to.map { $0.timeIntervalSince(start) } ?? .infinity
                guard upper > max(0, lower) else { return nil }
                return BlurFilter.Region(box: blur.box, during: blur.from == nil && blur.to == nil ? nil : max(0, lower)...min(upper, 86_400))
            }
            let mask = [BlurFilter.filter(for: blurs), PrivacyMaskFilter.filter(for: camera.privacyMasks)].compactMap { $0 }
                .joined(separator: ",").nilWhenEmpty
            if !camera.blurs.isEmpty {
                clip.blurred = camera.blurs.map { EvidenceManifest.BlurredArea(kind: $0.kind, x: $0.box.x, y: $0.box.y, width: $0.box.width, height: $0.box.height,
                                                        from: $0.from, to: $0.to) }
            }
            let coding = mask.map { ["-vf", $0, "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"] } ?? ["-c", "copy"]
            let done = clips.count, count = cameras.count
            let result = try await ChildProgram.run(tools.ffmpeg, [
                "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1",
                "-ss", String(format: "%.3f", offset), "-f", "concat", "-safe", "0", "-i", list,
                "-t", String(format: "%.3f", duration), "-map", "0:v:0"] + coding + ["-an", "-movflags", "+faststart", "-y", output,
            ], timeout: Self.cutTimeout(seconds: duration, reencoded: mask != nil), idleTimeout: Self.cutIdleSeconds,
               stopsWhenCancelled: true) { report in
                guard let seconds = Self.progressSeconds(report) else { return }
                let share = min(1, max(0, seconds / duration))
                onProgress?(Progress(camerasDone: done, cameras: count, percent: Int((Double(done) + share) / Double(count) * 100)))
            }
            clip.masked = mask == nil ? nil : true
            guard result.status == 0 else {
                throw MediaFailure(operation: "cut the clip of camera \(camera.cameraID)", status: result.status,
                                   message: result.stoppedBecause.map { "ffmpeg was stopped: \($0)" } ?? String(result.standardError.suffix(500)))
            }
            let facts = await MediaProbe(tools: tools).facts(of: output)
            clip.coveredFrom = start
            clip.coveredTo = start.addingTimeInterval(facts?.duration ?? duration)
            clips.append(clip)
        }
        var files: [EvidenceManifest.File] = []
        for clip in clips where !clip.file.isEmpty {
            let path = (folder as NSString).appendingPathComponent(clip.file)
            let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
            files.append(.init(name: clip.file, bytes: bytes, sha256: try EvidenceVerifier.sha256(ofFile: path)))
        }
        var manifest = EvidenceManifest(exportId: exportID, createdAt: now, requestedBy: requestedBy, reason: reason, from: from, to: to,
                                        cameras: clips, files: files, signingKey: key.publicKeyBase64)
        manifest.provisionRequestId = provisionRequestID
        let data = try manifest.encoded()
        try data.write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(EvidenceManifest.manifestName)))
        try Data((try key.sign(data).base64EncodedString() + "\n").utf8)
            .write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(EvidenceManifest.signatureName)))
        return manifest
    }

    /// Stretches of `from…to` that no segment covers (holes shorter than 2 s are ignored).
    static func missing(_ segments: [RecordedSegment], from: Date, to: Date) -> [EvidenceManifest.TimeRange] {
        var holes: [EvidenceManifest.TimeRange] = []
        var cursor = from
        for segment in segments {
            if segment.start.timeIntervalSince(cursor) > 2 { holes.append(.init(from: cursor, to: min(segment.start, to))) }
            cursor = max(cursor, segment.end)
        }
        if to.timeIntervalSince(cursor) > 2 { holes.append(.init(from: cursor, to: to)) }
        return holes
    }
}

extension String {
    /// nil for the empty string.
    fileprivate var nilWhenEmpty: String? { isEmpty ? nil : self }
}
