import CityWatchMedia
import CityWatchTestSupport
import Foundation
import Testing

@Suite("Synthetic camera encoding", .enabled(if: SyntheticFixtures.ffmpegAvailable, "needs ffmpeg and ffprobe"))
struct SyntheticEncodingTests {
    @Test(arguments: [false, true])
    func encodedClipHasTheSceneSizeFrameCountDurationAndAskedForBFrames(bFrames: Bool) async throws {
        let folder = try RepositoryPaths.temporaryFolder("synthetic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try BuiltInScene.walkers.scene(.init(width: 320, height: 180, duration: 3))
        let clip = try await SyntheticClipWriter(encoding: SyntheticEncoding(bFrames: bFrames)).write(scene, to: folder, name: "cam")
        #expect(clip.video.lastPathComponent == "cam.mp4" && clip.truthFile.lastPathComponent == "cam.truth.json")
        let probe = try await SyntheticFixtures.probe(clip.video)
        let stream = try #require(probe.streams.first)
        #expect(stream.codec_name == "h264" && stream.width == 320 && stream.height == 180)
        #expect(probe.frameCount == 30)
        #expect(abs(probe.duration - 3) < 0.05, "duration \(probe.duration)")
        #expect((stream.has_b_frames > 0) == bFrames)
        #expect((probe.bFrameCount > 0) == bFrames, "\(probe.bFrameCount) B-frames")
        #expect(probe.frames.first?.pict_type == "I" && probe.frames[20].pict_type == "I", "a key frame every 2 s")
        #expect(try SyntheticGroundTruth.load(from: clip.truthFile) == clip.groundTruth)
        #expect(clip.groundTruth.frames.count == probe.frameCount)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(leftovers == ["cam.mp4", "cam.truth.json"])
    }

    @Test func videoBackgroundIsLoopedWhenTheSceneIsLongerThanTheClip() async throws {
        let folder = try RepositoryPaths.temporaryFolder("synthetic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let short = try await SyntheticClipWriter().write(
            BuiltInScene.traffic.scene(.init(width: 160, height: 90, duration: 1)), to: folder, name: "short")
        var scene = try BuiltInScene.walkers.scene(.init(width: 320, height: 180, duration: 3.5))
        scene.background = .video(path: short.video.path)
        let clip = try await SyntheticClipWriter().write(scene, to: folder, name: "looped")
        #expect(try await SyntheticFixtures.probe(clip.video).frameCount == 35)
    }

    @Test(.enabled(if: SyntheticFixtures.campusVideoAvailable, "needs ../shared/data/vtest.avi"))
    func campusSceneRendersPeopleOverTheRealClip() async throws {
        let folder = try RepositoryPaths.temporaryFolder("synthetic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try BuiltInScene.campus.scene(.init(duration: 3, backgroundVideo: SyntheticFixtures.campusVideo.path))
        let clip = try await SyntheticClipWriter().write(scene, to: folder)
        let probe = try await SyntheticFixtures.probe(clip.video)
        #expect(probe.streams.first?.width == 640 && probe.streams.first?.height == 360 && probe.frameCount == 30)
        #expect(clip.groundTruth.frames.contains { !$0.objects.isEmpty })
    }

    @Test func missingBackgroundClipFailsBeforeAnyFFmpegRuns() async throws {
        var scene = try BuiltInScene.walkers.scene(.init(width: 160, height: 90, duration: 1))
        scene.background = .video(path: "/nonexistent/vtest.avi")
        await #expect(throws: SyntheticSceneError.backgroundVideoMissing(path: "/nonexistent/vtest.avi")) {
            try await SyntheticClipWriter().write(scene, to: FileManager.default.temporaryDirectory)
        }
    }

    @Test func unreadableBackgroundClipReportsTheDecodersOwnError() async throws {
        let folder = try RepositoryPaths.temporaryFolder("synthetic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let junk = folder.appendingPathComponent("junk.avi")
        try Data("not a video".utf8).write(to: junk)
        var scene = try BuiltInScene.walkers.scene(.init(width: 160, height: 90, duration: 1))
        scene.background = .video(path: junk.path)
        let failure = await #expect(throws: SyntheticClipFailure.self) { try await SyntheticClipWriter().write(scene, to: folder) }
        #expect(failure?.stage == .backgroundDecoder && failure?.status != 0)
        #expect(failure?.standardError.joined().contains("junk.avi") == true, "\(failure?.standardError ?? [])")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("walkers.mp4").path))
    }

    @Test func encoderThatExitsEarlyOrCannotStartIsReportedWithItsStatus() async throws {
        let folder = try RepositoryPaths.temporaryFolder("synthetic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try BuiltInScene.walkers.scene(.init(width: 160, height: 90, duration: 1))
        let quitting = await #expect(throws: SyntheticClipFailure.self) {
            try await SyntheticClipWriter(tools: MediaTools(ffmpeg: "/usr/bin/false")).write(scene, to: folder)
        }
        #expect(quitting?.stage == .encoder && quitting?.status == 1)
        let missing = await #expect(throws: SyntheticClipFailure.self) {
            try await SyntheticClipWriter(tools: MediaTools(ffmpeg: "/nonexistent/ffmpeg")).write(scene, to: folder)
        }
        #expect(missing?.status == -1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func cancellingTheWriterStopsFFmpegAndLeavesNoClip() async throws {
        let folder = try RepositoryPaths.temporaryFolder("synthetic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try BuiltInScene.night.scene(.init(duration: 600))
        let writing = Task { try await SyntheticClipWriter().write(scene, to: folder) }
        try await Task.sleep(for: .milliseconds(300))   // let it start; the outcome does not depend on the delay
        writing.cancel()
        await #expect(throws: CancellationError.self) { try await writing.value }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
