import CityWatchMedia
import CityWatchTestSupport
import Foundation
import Testing

@Suite("Synthetic camera over RTSP", .enabled(if: SyntheticFixtures.ffmpegAvailable && SyntheticFixtures.rtspServerAvailable,
                                             "needs ffmpeg and Debian's python3 with GstRtspServer"))
struct SyntheticRTSPTests {
    @Test func scriptServesGeneratedClipsInALoopWithAndWithoutBFrames() async throws {
        let folder = try RepositoryPaths.temporaryFolder("synthetic-rtsp")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try BuiltInScene.walkers.scene(.init(width: 320, height: 180, duration: 1))
        let plain = try await SyntheticClipWriter().write(scene, to: folder, name: "plain")
        let bframes = try await SyntheticClipWriter(encoding: SyntheticEncoding(bFrames: true)).write(scene, to: folder, name: "bframes")

        let camera = try await SyntheticRTSPCamera.start(port: try SyntheticFixtures.freePort(),
                                                         mounts: ["plain": plain.video, "bframes": bframes.video])
        do {
            // Each clip has 10 frames: reading 20 from each stream needs the script to loop.
            async let first = framesRead(from: camera.url("plain"), count: 20)
            async let second = framesRead(from: camera.url("bframes"), count: 20)
            #expect(try await (first, second) == (20, 20))
        } catch {
            await camera.stop()
            throw error
        }
        #expect(await camera.stop() == 0, "the script exits cleanly on SIGTERM")
    }

    /// Decodes `count` frames of `url` with ffmpeg over RTSP/TCP; returns how many it decoded.
    func framesRead(from url: String, count: Int) async throws -> Int {
        let hashes = try await runProgramDetached(SyntheticFixtures.tools.ffmpeg, [
            "-v", "error", "-rtsp_transport", "tcp", "-timeout", "10000000", "-i", url,
            "-frames:v", String(count), "-f", "framemd5", "-",
        ])
        return hashes.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
    }
}
