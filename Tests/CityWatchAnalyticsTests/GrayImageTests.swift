import CityWatchAnalytics
import Testing

@Suite("Gray images")
struct GrayImageTests {
    @Test func pixelsOfTheWrongCountAreRefused() {
        #expect(GrayImage(width: 4, height: 3, pixels: [UInt8](repeating: 0, count: 11)) == nil)
        #expect(GrayImage(width: 4, height: 3, pixels: [UInt8](repeating: 7, count: 12))?[3, 2] == 7)
    }
}
