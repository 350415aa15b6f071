/// The foreground test and the cleanup of its result, on the packed raw foreground.
///
/// Budget: ≤ 40 µs per 320×180 frame for the test with the shake search, ≤ 15 µs for the
/// cleanup (release, one core; measured ~31 µs, ~6 of them the shake search, and ~9 µs, where
/// a per-pixel test with its search and the byte-mask morphology took ~123 and ~45).
extension MotionDetector {
    /// The raw foreground, into `foregroundBits`: pixels further from `gain × background` than
    /// their threshold, and (when shake is tolerated) further than that from every background
    /// pixel near them.
    ///
    /// The plain test runs on every pixel in one branch-free loop the optimiser vectorises, a
    /// row at a time through a row of bytes that stays in the cache; the shake search then
    /// visits only the pixels that failed it, usually a few per cent.
    mutating func classify(_ pixels: UnsafeBufferPointer<UInt8>, gain: Float) {
        let w = width, rowWords = foregroundBits.rowWords, checksExclusions = hasExclusions, copiesFrame = previousIsStale
        let k2 = Float(configuration.sensitivity * configuration.sensitivity)
        let floor2 = Float(configuration.minimumDifference * configuration.minimumDifference)
        mean.withUnsafeBufferPointer { mean in
        variance.withUnsafeBufferPointer { variance in
        exclusion.withUnsafeBufferPointer { excluded in
        rowScratch.withUnsafeMutableBufferPointer { scratch in
        foregroundBits.words.withUnsafeMutableBufferPointer { bits in
        previous.withUnsafeMutableBufferPointer { previous in
            let out = scratch.baseAddress!
            for row in 0..<height {
                let start = row * w
                let p = pixels.baseAddress! + start, m = mean.baseAddress! + start, v = variance.baseAddress! + start
                let e = excluded.baseAddress! + start
                // The frozen test's copy of the frame, while the row is in the cache.
                if copiesFrame { previous.baseAddress!.advanced(by: start).update(from: p, count: w) }
                if checksExclusions {
                    Self.classifyPlain(p, m, v, e, out, w, gain, k2, floor2, checksExclusions: true)
                } else {
                    Self.classifyPlain(p, m, v, e, out, w, gain, k2, floor2, checksExclusions: false)
                }
                PackedMask.pack(out, w, into: bits.baseAddress! + row * rowWords, onesOnly: true)
            }
        }}}}}}
        previousIsStale = false
        if configuration.shakeRadius > 0 { forgiveShake(pixels, gain: gain) }
    }

    /// One row of the plain test: 1 where the pixel differs from `gain × mean` by more than its
    /// threshold (and, when `checksExclusions`, is not excluded). Branch-free: it vectorises.
    @inline(__always)
    private static func classifyPlain(_ p: UnsafePointer<UInt8>, _ m: UnsafePointer<Float>, _ v: UnsafePointer<Float>,
                                      _ e: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, _ count: Int,
                                      _ gain: Float, _ k2: Float, _ floor2: Float, checksExclusions: Bool) {
        for index in 0..<count {
            let difference = Float(p[index]) - gain * m[index]
            let scaled = k2 * v[index]
            // `max` written out: it compiles to one instruction (`max` keeps the sign of zero).
            let threshold2 = scaled > floor2 ? scaled : floor2
            let differs: UInt8 = difference * difference > threshold2 ? 1 : 0
            out[index] = checksExclusions && e[index] != 0 ? 0 : differs
        }
    }

    /// Clears the raw foreground pixels that match the background somewhere within the shake
    /// radius, using their own threshold. For radius 1 away from the border, four neighbouring
    /// columns are tested together, each against the nine positions around it.
    private mutating func forgiveShake(_ pixels: UnsafeBufferPointer<UInt8>, gain: Float) {
        let w = width, h = height, radius = configuration.shakeRadius, rowWords = foregroundBits.rowWords
        let k2 = Float(configuration.sensitivity * configuration.sensitivity)
        let floor2 = Float(configuration.minimumDifference * configuration.minimumDifference)
        mean.withUnsafeBufferPointer { mean in
        variance.withUnsafeBufferPointer { variance in
        foregroundBits.words.withUnsafeMutableBufferPointer { words in
            let m = mean.baseAddress!, v = variance.baseAddress!, p = pixels.baseAddress!
            for word in 0..<words.count {
                var candidates = words[word]
                let row = word / rowWords, firstColumn = (word - row * rowWords) * 64
                while candidates != 0 {
                    let bit = candidates.trailingZeroBitCount, column = firstColumn + bit
                    if radius == 1 && row >= 1 && row + 1 < h && column >= 1 && column + 4 < w && bit <= 60 {
                        // Columns `column` … `column + 3`: some of them candidates, all tested.
                        let group = (candidates &>> UInt64(bit)) & 0xF
                        candidates &= ~(0xF &<< UInt64(bit))
                        let matched = Self.matchesNearby(p, m, v, row * w + column, w, gain, k2, floor2) & group
                        words[word] &= ~(matched &<< UInt64(bit))
                        continue
                    }
                    candidates &= candidates &- 1
                    let index = row * w + column
                    let value = Float(pixels[index])
                    let scaled = k2 * variance[index]
                    let threshold2 = scaled > floor2 ? scaled : floor2
                    var matched = false
                    for y in max(0, row - radius)...min(h - 1, row + radius) where !matched {
                        let line = y * w
                        for x in max(0, column - radius)...min(w - 1, column + radius) {
                            let near = value - gain * m[line + x]
                            if near * near <= threshold2 { matched = true; break }
                        }
                    }
                    if matched { words[word] &= ~(1 &<< UInt64(bit)) }
                }
            }
        }}}
    }

    /// For the four pixels from `index` (not on the border), bit `i` set when pixel `index + i`
    /// matches `gain ×` the background at one of the nine positions around it.
    @inline(__always)
    private static func matchesNearby(_ p: UnsafePointer<UInt8>, _ m: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ index: Int,
                                      _ w: Int, _ gain: Float, _ k2: Float, _ floor2: Float) -> UInt64 {
        let values = SIMD4<Float>(Float(p[index]), Float(p[index + 1]), Float(p[index + 2]), Float(p[index + 3]))
        let scaled = k2 * UnsafeRawPointer(v + index).loadUnaligned(as: SIMD4<Float>.self)
        let floors = SIMD4<Float>(repeating: floor2), gains = SIMD4<Float>(repeating: gain)
        let threshold2 = scaled.replacing(with: floors, where: scaled .<= floors)
        var best = SIMD4<Float>(repeating: .infinity)
        for dy in -1...1 {
            let line = index + dy * w
            for offset in -1...1 {
                let near = values - gains * UnsafeRawPointer(m + line + offset).loadUnaligned(as: SIMD4<Float>.self)
                let squared = near * near
                best = best.replacing(with: squared, where: squared .< best)
            }
        }
        var matched: UInt64 = 0
        for lane in 0..<4 where best[lane] <= threshold2[lane] { matched |= 1 &<< UInt64(lane) }
        return matched
    }

    /// Morphological cleanup of the raw foreground (chroma included), then excluded pixels
    /// cleared again (the dilations may have spilled into them); `foreground` gets the result.
    mutating func clean() {
        foregroundBits.open(radius: configuration.openRadius, scratch: &scratchBits)
        foregroundBits.close(radius: configuration.closeRadius, scratch: &scratchBits)
        if hasExclusions {
            exclusionBits.words.withUnsafeBufferPointer { excluded in
                foregroundBits.words.withUnsafeMutableBufferPointer { mask in
                    for index in 0..<mask.count { mask[index] &= ~excluded[index] }
                }
            }
        }
        foreground.withUnsafeMutableBufferPointer { foregroundBits.unpack(into: $0) }
    }
}
