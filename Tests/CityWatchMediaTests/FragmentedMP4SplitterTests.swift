import CityWatchMedia
import CityWatchTestSupport
import Foundation
import Testing

@Suite("Fragmented MP4 splitter", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct FragmentedMP4SplitterTests {
    @Test func theHubKnowsThePictureSizeFromTheInitialisationSegment() throws {
        let hub = LiveHub()
        #expect(hub.pictureSize == nil)
        let bytes = try MediaFixtures.liveStream(of: try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true))
        bytes.withUnsafeBytes { hub.ingest($0) }
        #expect(hub.pictureSize?.width == 320 && hub.pictureSize?.height == 180)
    }

    @Test(arguments: [true, false])
    func splitsRealFFmpegOutputIntoInitAndKeyframeMarkedFragments(bFrames: Bool) throws {
        let bytes = try MediaFixtures.liveStream(of: try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: bFrames))
        for chunkSize in [1, 7, 4096, bytes.count] {
            var splitter = FragmentedMP4Splitter()
            var pieces: [FragmentedMP4Splitter.Piece] = []
            var at = 0
            while at < bytes.count {
                pieces += try splitter.append(bytes[at..<min(at + chunkSize, bytes.count)])
                at += chunkSize
            }
            guard case .initialization(let initBytes, let codec) = pieces.first else {
                Issue.record("the first piece is not the initialisation segment")
                return
            }
            #expect(codec?.hasPrefix("avc1.") == true && codec?.count == 11, "codec \(codec ?? "nil")")
            let fragments = pieces.dropFirst().compactMap { piece -> ([UInt8], Bool)? in
                if case .fragment(let b, let key) = piece { return (b, key) }
                return nil
            }
            #expect(fragments.count == pieces.count - 1)
            #expect(fragments.first?.1 == true, "the first fragment must start with a keyframe")
            // 6 s at a keyframe every second: 6 keyframe fragments, and shorter ones between them.
            #expect(fragments.filter(\.1).count == 6)
            #expect(fragments.count > 6)
            // Nothing is lost or reordered (a finished file ends with an `mfra` index, which a live
            // stream never reaches).
            let joined = initBytes + fragments.flatMap(\.0)
            let rest = bytes.count - joined.count
            #expect(bytes.starts(with: joined) && (rest == 0 || String(decoding: bytes[(joined.count + 4)..<(joined.count + 8)], as: UTF8.self) == "mfra"))
        }
    }

    @Test func corruptBoxSizesAreRefused() {
        var splitter = FragmentedMP4Splitter()
        #expect(throws: FragmentedMP4Splitter.Problem.self) { try splitter.append([0, 0, 0, 3, 0x66, 0x74, 0x79, 0x70]) }
        var huge = FragmentedMP4Splitter()
        #expect(throws: FragmentedMP4Splitter.Problem.self) { try huge.append([0xFF, 0xFF, 0xFF, 0xFF, 0x6D, 0x64, 0x61, 0x74]) }
    }
}
