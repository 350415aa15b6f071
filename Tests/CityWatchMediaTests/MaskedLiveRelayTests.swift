import CityWatchDomain
import CityWatchMedia
import CityWatchTestSupport
import Foundation
import Testing

/// The masked live relay with real ffmpeg: a camera's live stream in, the same stream with the
/// privacy masks blacked out, started for viewers and stopped when they leave.
@Suite("Masked live relay", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct MaskedLiveRelayTests {
    static let leftHalf = ImagePolygon(points: [ImagePoint(x: 0, y: 0), ImagePoint(x: 0.5, y: 0), ImagePoint(x: 0.5, y: 1),
                                                ImagePoint(x: 0, y: 1)])

    /// Feeds `stream`, `seconds` of video, into `hub` at about real time (200 ms of bytes every 200 ms).
    static func play(_ stream: [UInt8], seconds: Int, into hub: LiveHub) async {
        let chunk = max(1, stream.count / (seconds * 5))
        var offset = 0
        while offset < stream.count, !Task.isCancelled {
            let end = min(stream.count, offset + chunk)
            stream[offset..<end].withUnsafeBytes { hub.ingest($0) }
            offset = end
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    @Test func viewersGetTheStreamWithTheMasksBlackedOutAndTheTranscoderStopsWhenTheyLeave() async throws {
        // Long enough to outlast a slow start of the transcoder on a busy machine.
        let clip = try MediaFixtures.clip(seconds: 30, gop: 25, bFrames: true)
        let stream = try MediaFixtures.liveStream(of: clip)
        let folder = try RepositoryPaths.temporaryFolder("masked-relay")
        defer { try? FileManager.default.removeItem(at: folder) }
        let camera = LiveHub()
        let filter = try #require(PrivacyMaskFilter.filter(for: [Self.leftHalf]))
        let relay = MaskedLiveRelay(source: camera, filter: filter, folder: folder.path, linger: .milliseconds(500))
        #expect(await relay.isRunning == false, "nothing runs before anyone watches")

        let feeding = Task { await Self.play(stream, seconds: 30, into: camera) }
        defer { feeding.cancel() }
        let (received, codec, fragments) = await relay.watch { viewer in
            var received: [UInt8] = []
            var codec: String?
            var fragments = 0
            let started = ContinuousClock.now
            for await message in viewer {
                switch message {
                case let .initialization(bytes, name):
                    received = bytes
                    codec = name
                    fragments = 0
                case .fragment(let bytes):
                    received += bytes
                    fragments += 1
                }
                if fragments >= 4 || ContinuousClock.now - started > .seconds(25) { break }
            }
            return (received, codec, fragments)
        }
        #expect(codec?.hasPrefix("avc1.") == true)
        try #require(fragments >= 4, "masked fragments arrive while the camera streams")
        let halves = try MediaFixtures.firstFrameHalves(of: received)
        #expect(halves.left < 24, "the masked half is black: \(halves.left)")
        #expect(halves.right > 40, "the other half is the picture: \(halves.right)")

        // The viewer has gone (it stopped iterating and returned): the transcoder stops after the linger.
        #expect(relay.output.viewerCount == 0)
        // (30 s: once, in the parallel suite on two busy cores, the transcoder was not yet seen stopped after 10 s)
        let deadline = ContinuousClock.now + .seconds(30)
        while await relay.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        let starts = await relay.starts
        #expect(await relay.isRunning == false, "no transcoder without viewers (started \(starts) times)")
        #expect(starts == 1)
        await relay.stop()
    }

    /// The camera's process restarts after the last viewer left: the transcoder, fed a new
    /// stream, ends — and is not started again for nobody (the next viewer starts it).
    @Test func aCameraRestartAfterTheLastViewerLeftStartsNoTranscoderForNobody() async throws {
        let clip = try MediaFixtures.clip(seconds: 20, gop: 25, bFrames: true)
        let stream = try MediaFixtures.liveStream(of: clip)
        let folder = try RepositoryPaths.temporaryFolder("masked-relay-restart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let camera = LiveHub()
        // A linger longer than the test's wait: only the restart can end this transcoder.
        let relay = MaskedLiveRelay(source: camera, filter: try #require(PrivacyMaskFilter.filter(for: [Self.leftHalf])),
                                    folder: folder.path, linger: .seconds(30))
        let feeding = Task { await Self.play(stream, seconds: 20, into: camera) }
        let fragments = await relay.watch { viewer in
            var fragments = 0
            let started = ContinuousClock.now
            for await message in viewer {
                if case .fragment = message { fragments += 1 }
                if fragments >= 2 || ContinuousClock.now - started > .seconds(25) { break }
            }
            return fragments
        }
        try #require(fragments >= 2, "masked fragments arrive while the camera streams")
        #expect(relay.output.viewerCount == 0)
        // The camera's process restarts: a new stream, header first.
        feeding.cancel()
        await feeding.value
        camera.reset()
        let restarted = Task { await Self.play(stream, seconds: 20, into: camera) }
        defer { restarted.cancel() }
        let deadline = ContinuousClock.now + .seconds(15)
        while await relay.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        let starts = await relay.starts
        #expect(await relay.isRunning == false, "a transcoder runs for nobody (started \(starts) times)")
        #expect(starts == 1)
        await relay.stop()
    }

    @Test func aStoppedRelayEndsItsViewersStreams() async throws {
        let folder = try RepositoryPaths.temporaryFolder("masked-relay-stop")
        defer { try? FileManager.default.removeItem(at: folder) }
        let relay = MaskedLiveRelay(source: LiveHub(), filter: try #require(PrivacyMaskFilter.filter(for: [Self.leftHalf])),
                                    folder: folder.path)
        let watching = Task {
            await relay.watch { viewer in
                var messages = 0
                for await _ in viewer { messages += 1 }
                return messages
            }
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while await !relay.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await relay.isRunning)
        await relay.stop()
        let messages = await watching.value
        #expect(messages == 0 && relay.output.viewerCount == 0)
        #expect(await relay.isRunning == false)
    }

    @Test func aViewerWhoStopsReadingIsNoLongerCounted() async {
        let hub = LiveHub()
        let counted = await hub.watch { stream in
            _ = stream  // iterates nothing: the subscription must still end with the body
            return hub.viewerCount
        }
        #expect(counted == 1 && hub.viewerCount == 0)
    }
}
