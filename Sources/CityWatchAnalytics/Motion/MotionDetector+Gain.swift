/// The scene's gain: how much brighter or darker the whole picture is than the background.
///
/// Budget: ≤ 20 µs per 320×180 frame (release, one core; measured ~11–15 µs, where one
/// histogram with a branch and a division per sample, over twice the samples, took ~31).
extension MotionDetector {
    /// Bins of the frame ÷ background histogram: ratios 0 ..< 4 in steps of 1/128.
    static let histogramBins = 512
    static let binsPerUnit: Float = 128
    /// Histograms filled in turn, so that consecutive samples (most of them in the same bin)
    /// do not wait on each other's increment; each has one more bin for rejected samples.
    static let histogramCount = 4
    /// Rows between two sampled rows.
    static let gainRowStep = 4

    /// The median of frame ÷ background over every other pixel of every fourth row that was
    /// background in the previous frame, is not excluded and is not too dark to divide by
    /// (7,200 samples of a 320×180 frame; against every other row, the gain moved by at most
    /// 0.003 on the built-in scenes and no score changed). 1 when fewer than 32 such pixels are
    /// left (the picture is mostly foreground; 64 when every other row was sampled).
    mutating func estimateGain(_ pixels: UnsafeBufferPointer<UInt8>) -> Double {
        let bins = Self.histogramBins, stride = bins + 1, w = width
        let height = height
        histogram.withUnsafeMutableBufferPointer { counts in
            counts.update(repeating: 0)
            let c = counts.baseAddress!
            mean.withUnsafeBufferPointer { mean in
            foreground.withUnsafeBufferPointer { mask in
            exclusion.withUnsafeBufferPointer { excluded in
                let p = pixels.baseAddress!, m = mean.baseAddress!, f = mask.baseAddress!, e = excluded.baseAddress!
                let half = (w + 1) / 2
                let c0 = c, c1 = c + stride, c2 = c + 2 * stride, c3 = c + 3 * stride
                binScratch.withUnsafeMutableBufferPointer { scratch in
                    let found = scratch.baseAddress!
                    var row = 0
                    while row < height {
                        Self.bins(p + row * w, m + row * w, f + row * w, e + row * w, count: half, into: found)
                        // Four samples a step, one per histogram.
                        var sample = 0
                        while sample + 4 <= half {
                            c0[Int(found[sample])] &+= 1
                            c1[Int(found[sample + 1])] &+= 1
                            c2[Int(found[sample + 2])] &+= 1
                            c3[Int(found[sample + 3])] &+= 1
                            sample += 4
                        }
                        while sample < half { c0[Int(found[sample])] &+= 1; sample += 1 }
                        row += Self.gainRowStep
                    }
                }
                for bin in 0...bins {
                    for other in 1..<Self.histogramCount { c[bin] += c[other * stride + bin] }
                }
            }}}
        }
        let samples = histogram[0..<bins].reduce(0, &+)
        guard samples >= 32 else { return 1 }
        let half = Float(samples) / 2
        var below: Float = 0
        for bin in 0..<bins {
            let count = Float(histogram[bin])
            if below + count >= half {
                // The last bin holds every ratio from 4 up: report one clearly beyond it.
                if bin == bins - 1 { return Double(bins) / Double(Self.binsPerUnit) * 2 }
                // Bin b holds ratios in [b - ½, b + ½) / 128: interpolate inside it.
                return Double((Float(bin) - 0.5 + (half - below) / count) / Self.binsPerUnit)
            }
            below += count
        }
        return 1
    }

    /// The histogram bin of every other pixel of a row (`count` of them), `histogramBins` for a
    /// pixel not counted: foreground, excluded or too dark. Branch-free, and the bin is
    /// `Int(ratio × 128 + 0.5)` computed without a conversion that can trap, so the optimiser
    /// vectorises it.
    @inline(__always)
    private static func bins(_ p: UnsafePointer<UInt8>, _ m: UnsafePointer<Float>, _ f: UnsafePointer<UInt8>,
                             _ e: UnsafePointer<UInt8>, count: Int, into found: UnsafeMutablePointer<Int32>) {
        // Adding 2^23 rounds a float below 2^22 to an integer, readable from its bit pattern.
        let magic: Float = 8_388_608
        let magicBits = Int32(bitPattern: magic.bitPattern)
        let last = Int32(histogramBins - 1), rejected = Int32(histogramBins)
        for sample in 0..<count {
            let index = 2 * sample
            let background = m[index]
            let counted = f[index] | e[index] == 0 && background >= 16
            // At most 255 / 16 × 128 + ½: well inside the rounding trick's range.
            let scaled = Float(p[index]) / (background > 16 ? background : 16) * binsPerUnit + 0.5
            let nearest = (scaled + magic) - magic
            let floor = nearest > scaled ? nearest - 1 : nearest
            let bin = Int32(bitPattern: (floor + magic).bitPattern) &- magicBits
            found[sample] = counted ? (bin < last ? bin : last) : rejected
        }
    }
}
