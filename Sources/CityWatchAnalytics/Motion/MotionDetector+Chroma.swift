/// The optional chroma half of the background: mean U and V per chroma pixel (half resolution
/// both ways), learned and updated like the luma mean, tested with one fixed distance
/// (chroma carries little sensor noise). A chroma pixel that differs marks its 2×2 luma
/// pixels as foreground.
///
/// Budget: ≤ 40 µs per 160×90 chroma frame for the test and the update together (release,
/// one core; measured ~18 and ~9 µs, where the search at every chroma pixel and a branching
/// update took ~124 together); no allocation.
extension MotionDetector {
    var chromaWidth: Int { (width + 1) / 2 }

    /// Warm-up of the chroma background: a running average (the first frame seeds it).
    mutating func learnChroma(_ color: ColorPlanes) {
        let rate = 1 / Float(chromaFramesLearned + 1)
        chromaU.withUnsafeMutableBufferPointer { meanU in
        chromaV.withUnsafeMutableBufferPointer { meanV in
            for index in 0..<meanU.count {
                meanU[index] += rate * (Float(color.u[index]) - meanU[index])
                meanV[index] += rate * (Float(color.v[index]) - meanV[index])
            }
        }}
        chromaFramesLearned += 1
    }

    /// Chroma pixels further than ``MotionConfiguration/chromaDifference`` from the
    /// background's colour (scaled by the scene's gain around neutral) at every position within
    /// the shake radius; their luma pixels are added to the raw foreground (`foregroundBits`).
    /// The pixel's own position is tested first for all, in one branch-free loop the optimiser
    /// vectorises; the search around it only runs where it differs.
    mutating func classifyChroma(_ color: ColorPlanes, gain: Float) {
        let cw = chromaWidth, ch = (height + 1) / 2, count = cw * ch
        let radius = (configuration.shakeRadius + 1) / 2
        let limit2 = Float(configuration.chromaDifference * configuration.chromaDifference)
        chromaU.withUnsafeBufferPointer { meanU in
        chromaV.withUnsafeBufferPointer { meanV in
        chromaMask.withUnsafeMutableBufferPointer { chroma in
        color.u.withUnsafeBufferPointer { u in
        color.v.withUnsafeBufferPointer { v in
            let mu = meanU.baseAddress!, mv = meanV.baseAddress!, pu = u.baseAddress!, pv = v.baseAddress!
            let out = chroma.baseAddress!
            @inline(__always) func matches(_ valueU: Float, _ valueV: Float, _ at: Int) -> Bool {
                let du = valueU - gain * (mu[at] - 128)
                let dv = valueV - gain * (mv[at] - 128)
                return du * du + dv * dv <= limit2
            }
            for index in 0..<count {
                out[index] = matches(Float(pu[index]) - 128, Float(pv[index]) - 128, index) ? 0 : 1
            }
            guard radius > 0 else { return }
            let raw = UnsafeRawPointer(out)
            var start = 0
            while start < count {
                // Eight at a time past the (many) chroma pixels that matched in place.
                if start + 8 <= count && raw.loadUnaligned(fromByteOffset: start, as: UInt64.self) == 0 {
                    start += 8
                    continue
                }
                let index = start
                start += 1
                guard out[index] != 0 else { continue }
                let row = index / cw, column = index - row * cw
                let valueU = Float(pu[index]) - 128, valueV = Float(pv[index]) - 128
                search: for y in max(0, row - radius)...min(ch - 1, row + radius) {
                    for x in max(0, column - radius)...min(cw - 1, column + radius) where matches(valueU, valueV, y * cw + x) {
                        out[index] = 0
                        break search
                    }
                }
            }
        }}}}}
        addChromaToForeground()
    }

    /// Sets the two luma pixels of each differing chroma pixel in both its luma rows, a word at
    /// a time: 32 chroma pixels spread to 64 luma bits.
    private mutating func addChromaToForeground() {
        let cw = chromaWidth, ch = (height + 1) / 2, h = height
        let rowWords = foregroundBits.rowWords, last = foregroundBits.lastWordBits
        chromaMask.withUnsafeBufferPointer { chroma in
        chromaRowBits.withUnsafeMutableBufferPointer { chromaBits in
        exclusionBits.words.withUnsafeBufferPointer { excluded in
        foregroundBits.words.withUnsafeMutableBufferPointer { mask in
            for row in 0..<ch {
                PackedMask.pack(chroma.baseAddress! + row * cw, cw, into: chromaBits.baseAddress!)
                for word in 0..<rowWords {
                    let half = UInt32(truncatingIfNeeded: chromaBits[word / 2] &>> UInt64(32 * (word % 2)))
                    var bits = Self.spread(half)
                    bits |= bits << 1
                    if word == rowWords - 1 { bits &= last }
                    guard bits != 0 else { continue }
                    for lumaRow in (2 * row)..<min(h, 2 * row + 2) {
                        let at = lumaRow * rowWords + word
                        mask[at] |= bits & ~excluded[at]
                    }
                }
            }
        }}}}
    }

    /// Bit `i` of `half` to bit `2i` of the result (the inverse of ``compress(_:)``).
    @inline(__always)
    static func spread(_ half: UInt32) -> UInt64 {
        var x = UInt64(half)
        x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x | (x << 2)) & 0x3333_3333_3333_3333
        x = (x | (x << 1)) & 0x5555_5555_5555_5555
        return x
    }

    /// Chroma pixels whose top-left luma pixel is background follow the frame (in one
    /// branch-free pass: the others get rate 0); those whose luma pixel was just absorbed take
    /// the frame's colour at once (found from the packed foreground).
    mutating func updateChroma(_ color: ColorPlanes, gain: Float, elapsed: Float) {
        let cw = chromaWidth, ch = (height + 1) / 2, w = width, rowWords = foregroundBits.rowWords
        let rate = min(1, elapsed / Float(max(0.001, configuration.backgroundSeconds)))
        chromaU.withUnsafeMutableBufferPointer { meanU in
        chromaV.withUnsafeMutableBufferPointer { meanV in
        age.withUnsafeBufferPointer { age in
        color.u.withUnsafeBufferPointer { u in
        color.v.withUnsafeBufferPointer { v in
        chromaRowBits.withUnsafeMutableBufferPointer { chromaBits in
        rowScratch.withUnsafeMutableBufferPointer { scratch in
        foregroundBits.words.withUnsafeBufferPointer { bits in
            let mu = meanU.baseAddress!, mv = meanV.baseAddress!, pu = u.baseAddress!, pv = v.baseAddress!
            let held = scratch.baseAddress!
            for row in 0..<ch {
                // The foreground of the even luma columns of the even luma row, one byte a chroma pixel.
                let lumaBits = bits.baseAddress! + 2 * row * rowWords, start = row * cw
                chromaBits.update(repeating: 0)
                for word in 0..<rowWords {
                    chromaBits[word / 2] |= Self.compress(lumaBits[word]) &<< UInt64(32 * (word % 2))
                }
                PackedMask.unpack(chromaBits.baseAddress!, cw, into: held)
                let ru = mu + start, rv = mv + start, xu = pu + start, xv = pv + start
                for column in 0..<cw {
                    let pixelRate: Float = held[column] == 0 ? rate : 0
                    ru[column] += pixelRate * (Float(xu[column]) - ru[column])
                    rv[column] += pixelRate * (Float(xv[column]) - rv[column])
                }
                for word in 0..<chromaBits.count {
                    var absorbed = chromaBits[word]
                    while absorbed != 0 {
                        let column = word * 64 + absorbed.trailingZeroBitCount
                        absorbed &= absorbed &- 1
                        guard age[2 * row * w + 2 * column] == 0 else { continue }
                        let index = start + column
                        mu[index] = 128 + (Float(pu[index]) - 128) / gain
                        mv[index] = 128 + (Float(pv[index]) - 128) / gain
                    }
                }
            }
        }}}}}}}}
    }

    /// Bit `2i` of `bits` to bit `i` of the result (the odd bits are dropped).
    @inline(__always)
    static func compress(_ bits: UInt64) -> UInt64 {
        var x = bits & 0x5555_5555_5555_5555
        x = (x | (x >> 1)) & 0x3333_3333_3333_3333
        x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF
        return x
    }
}
