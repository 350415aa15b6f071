@testable import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia
import Testing

/// The packed (bit per pixel) mask the detector cleans and labels must give exactly what the
/// byte-mask reference gives, on any mask: checked on seeded random masks of awkward sizes.
@Suite("Packed mask")
struct PackedMaskTests {
    /// A random mask of `width × height` bytes, about `density` of them set, with blobs
    /// (a pixel copies its left or upper neighbour half the time) so morphology has work to do.
    static func randomMask(width: Int, height: Int, density: Double, using random: inout SceneRandom) -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let index = y * width + x
                if x > 0 && y > 0 && Bool.random(using: &random) {
                    mask[index] = Bool.random(using: &random) ? mask[index - 1] : mask[index - width]
                } else {
                    mask[index] = Double.random(in: 0..<1, using: &random) < density ? 1 : 0
                }
            }
        }
        return mask
    }

    static let sizes = [(1, 1), (1, 7), (7, 1), (5, 5), (63, 9), (64, 8), (65, 10), (130, 12), (320, 18)]

    @Test(arguments: [0.05, 0.3, 0.6, 0.9])
    func morphologyOnPackedMasksEqualsTheByteMaskReference(density: Double) {
        var random = SceneRandom(seed: UInt64(density * 1000))
        for (width, height) in Self.sizes {
            for radius in 1...2 {
                for operation in 0..<4 {
                    var bytes = Self.randomMask(width: width, height: height, density: density, using: &random)
                    var packed = PackedMask(width: width, height: height)
                    var scratch = PackedMask(width: width, height: height)
                    bytes.withUnsafeBufferPointer { packed.pack($0) }
                    var byteScratch = [UInt8](repeating: 0, count: width * height)
                    bytes.withUnsafeMutableBufferPointer { mask in
                        byteScratch.withUnsafeMutableBufferPointer { s in
                            switch operation {
                            case 0: MaskMorphology.open(mask, scratch: s, width: width, height: height, radius: radius)
                            case 1: MaskMorphology.close(mask, scratch: s, width: width, height: height, radius: radius)
                            default: MaskMorphology.apply(mask, scratch: s, width: width, height: height, radius: radius, dilate: operation == 3)
                            }
                        }
                    }
                    switch operation {
                    case 0: packed.open(radius: radius, scratch: &scratch)
                    case 1: packed.close(radius: radius, scratch: &scratch)
                    default: packed.apply(radius: radius, dilate: operation == 3, scratch: &scratch)
                    }
                    var unpacked = [UInt8](repeating: 7, count: width * height)
                    unpacked.withUnsafeMutableBufferPointer { packed.unpack(into: $0) }
                    #expect(unpacked == bytes, "\(width)×\(height), radius \(radius), operation \(operation)")
                    // Bits beyond the width stay clear.
                    for row in 0..<height {
                        #expect(packed.words[row * packed.rowWords + packed.rowWords - 1] & ~packed.lastWordBits == 0)
                    }
                }
            }
        }
    }

    @Test func packingTakesAnyNonZeroByteAsSetAndUnpackingGivesOnes() {
        var random = SceneRandom(seed: 42)
        for (width, height) in Self.sizes {
            let bytes = (0..<(width * height)).map { _ in Bool.random(using: &random) ? UInt8.random(in: 1...255, using: &random) : 0 }
            var packed = PackedMask(width: width, height: height)
            bytes.withUnsafeBufferPointer { packed.pack($0) }
            var unpacked = [UInt8](repeating: 9, count: width * height)
            unpacked.withUnsafeMutableBufferPointer { packed.unpack(into: $0) }
            #expect(unpacked == bytes.map { $0 == 0 ? 0 : 1 })
            for index in bytes.indices { #expect(packed[index % width, index / width] == (bytes[index] != 0)) }
            // Bytes known to be 0 or 1 take the short way and give the same words.
            var row = [UInt64](repeating: 0, count: packed.rowWords)
            for y in 0..<height {
                unpacked.withUnsafeBufferPointer { PackedMask.pack($0.baseAddress! + y * width, width, into: &row, onesOnly: true) }
                #expect(Array(packed.words[(y * packed.rowWords)..<((y + 1) * packed.rowWords)]) == row)
            }
        }
    }

    @Test func chromaBitsSpreadToEvenLumaBitsAndBack() {
        var random = SceneRandom(seed: 99)
        for _ in 0..<1000 {
            let half = UInt32(truncatingIfNeeded: random.next())
            let spread = MotionDetector.spread(half)
            #expect(spread & 0xAAAA_AAAA_AAAA_AAAA == 0)
            #expect(MotionDetector.compress(spread | (spread << 1)) == UInt64(half))
            for bit in 0..<32 { #expect((spread >> UInt64(2 * bit)) & 1 == UInt64(half >> UInt32(bit)) & 1) }
        }
    }

    /// Reference labelling: a flood fill per component, 8-connected.
    static func referenceBlobs(_ mask: [UInt8], width: Int, height: Int, minimumArea: Int) -> Set<Blob> {
        var seen = [Bool](repeating: false, count: mask.count)
        var blobs = Set<Blob>()
        for start in mask.indices where mask[start] != 0 && !seen[start] {
            var stack = [start]
            seen[start] = true
            var area = 0, sumX = 0, sumY = 0, minX = width, minY = height, maxX = 0, maxY = 0
            while let index = stack.popLast() {
                let x = index % width, y = index / width
                area += 1; sumX += x; sumY += y
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
                for dy in -1...1 {
                    for dx in -1...1 {
                        let nx = x + dx, ny = y + dy
                        guard nx >= 0, nx < width, ny >= 0, ny < height else { continue }
                        let next = ny * width + nx
                        if mask[next] != 0 && !seen[next] { seen[next] = true; stack.append(next) }
                    }
                }
            }
            guard area >= minimumArea else { continue }
            blobs.insert(Blob(box: PixelBox(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1), area: area,
                              centroidX: Double(sumX) / Double(area), centroidY: Double(sumY) / Double(area)))
        }
        return blobs
    }

    @Test(arguments: [0.1, 0.45, 0.8])
    func labellingFindsTheSameComponentsAsAFloodFill(density: Double) {
        var random = SceneRandom(seed: 7 + UInt64(density * 100))
        for (width, height) in Self.sizes {
            let mask = Self.randomMask(width: width, height: height, density: density, using: &random)
            var labeler = BlobLabeler(width: width, height: height)
            var blobs: [Blob] = []
            let dropped = mask.withUnsafeBufferPointer { labeler.label($0, minimumArea: 2, maximumBlobs: 10_000, into: &blobs) }
            #expect(dropped == 0)
            #expect(Set(blobs) == Self.referenceBlobs(mask, width: width, height: height, minimumArea: 2), "\(width)×\(height)")
            #expect(blobs.count == Set(blobs).count)
        }
    }
}
