import CityWatchDomain
import Testing

@Suite("Packed box paths")
struct ImageBoxPackingTests {
    @Test func pathsRoundTripWithinAPixelAtEightBytesABox() throws {
        let path = (0..<50).map { step in
            ImageBox(x: Double(step) / 60, y: 0.25 + Double(step % 7) / 100, width: 0.04, height: 0.2 + Double(step) / 1_000)
        }
        let bytes = ImageBox.pack(path)
        #expect(bytes.count == 8 * path.count)
        let back = try ImageBox.unpack(bytes)
        #expect(back.count == path.count)
        for (original, restored) in zip(path, back) {
            // A 3840-pixel-wide picture still gets every box back to well under a pixel.
            #expect(abs(original.x - restored.x) * 3_840 < 0.1 && abs(original.height - restored.height) * 2_160 < 0.1)
        }
    }

    @Test func fractionsOffThePictureAreClampedAndABrokenPathIsRefused() throws {
        let back = try ImageBox.unpack(ImageBox.pack([ImageBox(x: -0.5, y: 1.5, width: 0.5, height: 2)]))
        #expect(back == [ImageBox(x: 0, y: 1, width: Double(UInt16(32_768)) / 65_535, height: 1)])
        #expect(throws: ImageBox.PackingFailure.truncated(count: 7)) { try ImageBox.unpack([UInt8](repeating: 1, count: 7)) }
    }
}
