import CityWatchDomain
import CityWatchMedia
import CityWatchTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Evidence export", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct EvidenceExportTests {
    /// Records a clip into 2-second segments the way the recorder does, and returns them with
    /// wall-clock times starting at `start`.
    static func segments(camera: UUID, start: Date, in folder: URL) throws -> [RecordedSegment] {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true)
        let list = folder.appendingPathComponent("list.csv").path
        _ = try runProgram(MediaFixtures.ffmpeg, ["-hide_banner", "-loglevel", "error", "-i", clip, "-map", "0:v:0", "-c", "copy", "-an",
                                                  "-f", "segment", "-segment_time", "2", "-segment_format", "mp4",
                                                  "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof",
                                                  "-reset_timestamps", "1", "-segment_list", list, "-segment_list_type", "csv",
                                                  folder.appendingPathComponent("seg-%03d.mp4").path])
        let lines = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n").compactMap { SegmentListLine(line: String($0)) }
        return lines.map { line in
            RecordedSegment(cameraID: camera, path: folder.appendingPathComponent(line.fileName).path,
                            start: start.addingTimeInterval(line.start), end: start.addingTimeInterval(line.end), bytes: 0)
        }
    }

    @Test func exportVerifiesAndNamesEveryTamperedFile() async throws {
        let folder = try RepositoryPaths.temporaryFolder("evidence")
        defer { try? FileManager.default.removeItem(at: folder) }
        let recordings = folder.appendingPathComponent("recordings")
        try FileManager.default.createDirectory(at: recordings, withIntermediateDirectories: true)
        let (cameraA, cameraB) = (UUID(), UUID())
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        let segments = try Self.segments(camera: cameraA, start: start, in: recordings)
        #expect(segments.count == 3)
        let key = try SigningKey.load(folder: folder.appendingPathComponent("keys").path)
        let out = folder.appendingPathComponent("export").path
        let manifest = try await EvidenceExporter().export(
            cameras: [.init(cameraID: cameraA, address: "서울특별시 강남구 테헤란로 1", purpose: "생활방범", segments: segments),
                      .init(cameraID: cameraB, address: "nowhere", purpose: "교통단속", segments: [])],
            from: start.addingTimeInterval(1), to: start.addingTimeInterval(5), reason: "수사 협조 2026-77", requestedBy: "kim",
            folder: out, key: key)
        #expect(manifest.files.count == 1)
        #expect(manifest.cameras.first { $0.cameraId == cameraB }?.missing.count == 1)
        let clip = (out as NSString).appendingPathComponent(manifest.files[0].name)
        let facts = try MediaFixtures.probe(clip)
        #expect(facts.streams == ["video"])
        #expect(facts.duration >= 3.9 && facts.duration <= 6, "clip lasts \(facts.duration) s for a 4 s request")

        let intact = EvidenceVerifier(trustedKey: key.publicKeyBase64).verify(folder: out)
        #expect(intact.isValid, "\(intact.problems)")

        // One byte of the clip changed.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: clip))
        #expect(EvidenceVerifier(trustedKey: key.publicKeyBase64).verify(folder: out).problems == [.changedFile(manifest.files[0].name)])
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: clip))

        // A file slipped in, and the manifest edited (even re-signed with another key).
        try Data("x".utf8).write(to: URL(fileURLWithPath: (out as NSString).appendingPathComponent("extra.txt")))
        #expect(EvidenceVerifier().verify(folder: out).problems == [.unexpectedFile("extra.txt")])
        try FileManager.default.removeItem(atPath: (out as NSString).appendingPathComponent("extra.txt"))
        let manifestPath = (out as NSString).appendingPathComponent(EvidenceManifest.manifestName)
        let original = try Data(contentsOf: URL(fileURLWithPath: manifestPath))
        let edited = Data(String(decoding: original, as: UTF8.self).replacing("수사 협조 2026-77", with: "수사 협조 2026-78").utf8)
        try edited.write(to: URL(fileURLWithPath: manifestPath))
        #expect(EvidenceVerifier().verify(folder: out).problems == [.badSignature])
        let forger = try SigningKey.load(folder: folder.appendingPathComponent("forger").path)
        var forged = try EvidenceManifest.decode(edited)
        forged.signingKey = forger.publicKeyBase64
        let forgedData = try forged.encoded()
        try forgedData.write(to: URL(fileURLWithPath: manifestPath))
        try Data(try forger.sign(forgedData).base64EncodedString().utf8)
            .write(to: URL(fileURLWithPath: (out as NSString).appendingPathComponent(EvidenceManifest.signatureName)))
        let problems = EvidenceVerifier(trustedKey: key.publicKeyBase64).verify(folder: out).problems
        #expect(problems.count == 1)
        if case .untrustedKey = problems.first {} else { Issue.record("a re-signed manifest passed: \(problems)") }
        try FileManager.default.removeItem(atPath: clip)
        #expect(EvidenceVerifier().verify(folder: out).problems.contains(.missingFile(manifest.files[0].name)))
    }

    /// For a requester who may not see behind the masks, the masked area is black in the clip,
    /// the rest is the picture, the manifest says so, and the export still verifies.
    @Test func privacyMasksAreBlackedOutInAMaskedExport() async throws {
        let folder = try RepositoryPaths.temporaryFolder("evidence-masked")
        defer { try? FileManager.default.removeItem(at: folder) }
        let recordings = folder.appendingPathComponent("recordings")
        try FileManager.default.createDirectory(at: recordings, withIntermediateDirectories: true)
        let camera = UUID()
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        let segments = try Self.segments(camera: camera, start: start, in: recordings)
        let key = try SigningKey.load(folder: folder.appendingPathComponent("keys").path)
        let leftHalf = ImagePolygon(points: [ImagePoint(x: 0, y: 0), ImagePoint(x: 0.5, y: 0), ImagePoint(x: 0.5, y: 1), ImagePoint(x: 0, y: 1)])
        let out = folder.appendingPathComponent("export").path
        let manifest = try await EvidenceExporter().export(
            cameras: [.init(cameraID: camera, address: "서울특별시 강남구", purpose: "생활방범", segments: segments, privacyMasks: [leftHalf])],
            from: start.addingTimeInterval(1), to: start.addingTimeInterval(4), reason: "민원 확인", requestedBy: "operator",
            folder: out, key: key)
        #expect(manifest.cameras.first?.masked == true)
        #expect(EvidenceVerifier(trustedKey: key.publicKeyBase64).verify(folder: out).problems.isEmpty)
        let clip = (out as NSString).appendingPathComponent(manifest.files[0].name)
        let halves = try MediaFixtures.firstFrameHalves(of: clip)
        #expect(halves.left < 24, "the masked half is black: \(halves.left)")
        #expect(halves.right > 40, "the other half is the picture: \(halves.right)")
    }

    /// A masked day re-encodes for hours: its cut is not stopped after the hour a cut used to get
    /// (only one that goes quiet is, after ``EvidenceExporter/cutIdleSeconds``).
    @Test func aLongCutIsGivenTheTimeItsFootageNeeds() {
        #expect(EvidenceExporter.cutTimeout(seconds: 86_400, reencoded: true) >= 3 * 86_400)
        #expect(EvidenceExporter.cutTimeout(seconds: 86_400, reencoded: false) >= 3_600)
        #expect(EvidenceExporter.cutTimeout(seconds: 60, reencoded: true) == 3_600)
        #expect(EvidenceExporter.cutIdleSeconds <= 600)
    }

    /// A server stopping mid-export cancels it: the cut in progress is killed at once (not left
    /// to run its hour), and no half-written export folder is left to be taken for one.
    @Test func aCancelledExportStopsItsCutAndLeavesNothingBehind() async throws {
        let folder = try RepositoryPaths.temporaryFolder("evidence-cancelled")
        defer { try? FileManager.default.removeItem(at: folder) }
        let recordings = folder.appendingPathComponent("recordings")
        try FileManager.default.createDirectory(at: recordings, withIntermediateDirectories: true)
        let camera = UUID()
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        let recorded = try Self.segments(camera: camera, start: start, in: recordings)
        // Ten minutes of footage (the same three files over and over) to re-encode with a mask.
        let long = (0..<300).map { index in
            RecordedSegment(cameraID: camera, path: recorded[index % recorded.count].path, start: start.addingTimeInterval(Double(index) * 2),
                            end: start.addingTimeInterval(Double(index + 1) * 2), bytes: 0)
        }
        let key = try SigningKey.load(folder: folder.appendingPathComponent("keys").path)
        let leftHalf = ImagePolygon(points: [ImagePoint(x: 0, y: 0), ImagePoint(x: 0.5, y: 0), ImagePoint(x: 0.5, y: 1), ImagePoint(x: 0, y: 1)])
        let out = folder.appendingPathComponent("export").path
        let reports = Mutex<[Int]>([])
        let export = Task {
            try await EvidenceExporter().export(
                cameras: [.init(cameraID: camera, address: "서울특별시 강남구", purpose: "생활방범", segments: long, privacyMasks: [leftHalf])],
                from: start, to: start.addingTimeInterval(600), reason: "민원 확인", requestedBy: "operator", folder: out, key: key) { progress in
                reports.withLock { $0.append(progress.percent) }
            }
        }
        // Under way: ffmpeg is writing the camera's clip, and says how far it has got.
        let clip = (out as NSString).appendingPathComponent("camera-\(camera.uuidString.lowercased()).mp4")
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: clip) || !reports.withLock({ $0.contains { (1..<100).contains($0) } }) {
            try #require(Date() < deadline, "the cut never started or never reported progress: \(reports.withLock { $0 })")
            try await Task.sleep(for: .milliseconds(50))
        }
        let percents = reports.withLock { $0 }
        #expect(percents.first == 0 && zip(percents, percents.dropFirst()).allSatisfy { $0 <= $1 }, "\(percents)")
        let cancelled = Date()
        export.cancel()
        let result = await export.result
        let stoppedAfter = Date().timeIntervalSince(cancelled)
        guard case .failure(let error) = result else { Issue.record("a cancelled export finished"); return }
        #expect(error is CancellationError, "\(error)")
        #expect(stoppedAfter < 4, "the cut went on \(stoppedAfter) s after the cancellation")
        #expect(!FileManager.default.fileExists(atPath: out), "the half-written export is left")
        let ffmpegs = (try? runProgram("/usr/bin/pgrep", ["-f", clip])) ?? ""
        #expect(ffmpegs.isEmpty, "ffmpeg still runs: \(ffmpegs)")
    }
}
