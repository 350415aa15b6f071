import CityWatchDomain
import CityWatchMedia
import CityWatchTestSupport
import Foundation
import Testing

@Suite("Blur filter")
struct BlurFilterTests {
    @Test func nothingToBlurGivesNoFilterAndAMaskBecomesItsBoundingBox() throws {
        #expect(BlurFilter.filter(for: []) == nil)
        #expect(BlurFilter.filter(for: [BlurFilter.Region(box: ImageBox(x: 0.2, y: 0.2, width: 0, height: 0.3))]) == nil)
        let mask = ImagePolygon(points: [ImagePoint(x: 0.6, y: 0.1), ImagePoint(x: 0.9, y: 0.1), ImagePoint(x: 0.7, y: 0.5)])
        let region = try #require(BlurFilter.Region(mask: mask))
        #expect(region.box == ImageBox(x: 0.6, y: 0.1, width: 0.9 - 0.6, height: 0.5 - 0.1))
        #expect(region.during == nil)
    }

    @Test func aTimedRegionIsOnlyLaidOverDuringItsSpan() {
        let graph = BlurFilter.filter(for: [
            BlurFilter.Region(box: ImageBox(x: 0, y: 0, width: 0.5, height: 0.5), during: 1.5...3),
            BlurFilter.Region(box: ImageBox(x: 0.5, y: 0.5, width: 0.5, height: 0.5)),
        ])
        #expect(graph?.hasPrefix("split=3[base][r0][r1];") == true)
        #expect(graph?.contains("[base][b0]overlay=x=2*floor(W*0.0/2):y=2*floor(H*0.0/2):enable='between(t,1.500,3.000)'[o0]") == true)
        #expect(graph?.hasSuffix("[o0][b1]overlay=x=2*floor(W*0.5/2):y=2*floor(H*0.5/2)") == true)
    }

    @Test(.enabled(if: MediaFixtures.available, "needs ffmpeg"))
    func ffmpegAcceptsTheGraphAndBlursOnlyTheRegion() throws {
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: false)
        let graph = try #require(BlurFilter.filter(for: [BlurFilter.Region(box: ImageBox(x: 0, y: 0, width: 0.5, height: 1))]))
        let out = RegistryFixtures.folderForMedia.appendingPathComponent("blurred-\(UUID().uuidString.prefix(8)).mp4").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try runProgram(MediaFixtures.ffmpeg, ["-hide_banner", "-loglevel", "error", "-i", clip, "-t", "1", "-vf", graph,
                                                  "-c:v", "libx264", "-preset", "veryfast", "-an", "-y", out])
        let original = try MediaFixtures.firstFrameHalves(of: clip), blurred = try MediaFixtures.firstFrameHalves(of: out)
        // Blurring keeps the brightness of the picture (a black-out would not).
        #expect(abs(original.left - blurred.left) < 12, "\(original) \(blurred)")
        #expect(abs(original.right - blurred.right) < 6, "\(original) \(blurred)")
    }
}
