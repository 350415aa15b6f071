import CityWatchTestSupport
import Foundation
import Testing

extension ProvisionAPITests {
    /// ffmpeg gave less than a whole frame.
    struct ShortFrame: Error {
        var bytes: Int
    }

    /// A 320×180 gray frame of `path` at `seconds`.
    static func grayFrame(_ path: String, at seconds: Double) throws -> [UInt8] {
        let out = RegistryFixtures.folderForMedia.appendingPathComponent("frame-\(UUID().uuidString.prefix(8)).gray").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try runProgram(MediaFixtures.ffmpeg, ["-hide_banner", "-loglevel", "error", "-ss", String(format: "%.3f", seconds), "-i", path,
                                                  "-frames:v", "1", "-vf", "scale=320:180", "-f", "rawvideo", "-pix_fmt", "gray", "-y", out])
        let pixels = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
        guard pixels.count == 320 * 180 else { throw ShortFrame(bytes: pixels.count) }
        return pixels
    }

    /// Fine detail in a rectangle: the mean squared difference between neighbouring pixels.
    /// A blur spreads every edge, so this falls by an order of magnitude.
    static func detail(_ frame: [UInt8], x: Range<Int>, y: Range<Int>) -> Double {
        var sum = 0.0, count = 0.0
        for row in y { for column in x {
            let here = Double(frame[row * 320 + column])
            let right = Double(frame[row * 320 + column + 1]), below = Double(frame[(row + 1) * 320 + column])
            sum += (here - right) * (here - right) + (here - below) * (here - below)
            count += 1
        } }
        return sum / count
    }

    /// The mean absolute difference of two frames in a rectangle.
    static func difference(_ a: [UInt8], _ b: [UInt8], x: Range<Int>, y: Range<Int>) -> Double {
        var sum = 0.0, count = 0.0
        for row in y { for column in x { sum += abs(Double(a[row * 320 + column]) - Double(b[row * 320 + column])); count += 1 } }
        return sum / count
    }

    /// The export covers the original from its second 1: the operator's box (top left, 0.4 ×
    /// 0.25 of the picture) is blurred from the export's second 2 on and sharp before; the
    /// privacy zone (top right) is blurred throughout, not blacked out; the rest is the picture.
    static func expectBlurred(export: String, original: String) throws {
        let box = (x: 4..<124, y: 4..<41), zone = (x: 196..<284, y: 22..<86), rest = (x: 4..<156, y: 104..<176)
        for (time, boxBlurred) in [(0.52, false), (3.0, true)] {
            let exported = try grayFrame(export, at: time), source = try grayFrame(original, at: time + 1)
            let boxRatio = detail(exported, x: box.x, y: box.y) / detail(source, x: box.x, y: box.y)
            if boxBlurred {
                #expect(boxRatio < 0.2, "box at \(time) s keeps \(boxRatio) of its detail")
            } else {
                #expect(boxRatio > 0.6, "box at \(time) s lost detail before its time span: \(boxRatio)")
            }
            let zoneRatio = detail(exported, x: zone.x, y: zone.y) / detail(source, x: zone.x, y: zone.y)
            #expect(zoneRatio < 0.2, "privacy zone at \(time) s keeps \(zoneRatio) of its detail")
            #expect(difference(exported, source, x: zone.x, y: zone.y) < 40, "privacy zone at \(time) s is not the blurred picture")
            let restRatio = detail(exported, x: rest.x, y: rest.y) / detail(source, x: rest.x, y: rest.y)
            #expect(restRatio > 0.6, "outside the boxes at \(time) s detail fell to \(restRatio)")
            #expect(difference(exported, source, x: rest.x, y: rest.y) < 10, "outside the boxes at \(time) s the picture changed")
        }
    }
}
