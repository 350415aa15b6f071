/// The background model's per-pixel kernels: warm-up learning, the scene's gain, the
/// foreground test and the selective update. All run on the detector's own buffers.
///
/// Budget: each kernel is one pass over the frame (the gain one over a quarter of it); the
/// shake check only visits the few pixels that already failed the plain test.
extension MotionDetector {
    /// Bins of the frame ÷ background histogram: ratios 0 ..< 4 in steps of 1/128.
    static let histogramBins = 512
    static let binsPerUnit: Float = 128

    /// Warm-up: a running average of the frames so far (the first seeds it), and of the squared
    /// differences from it, clipped. Clears the foreground and the foreground ages.
    mutating func learn(_ pixels: UnsafeBufferPointer<UInt8>) {
        let seen = framesLearned
        let rate = 1 / Float(seen + 1)
        let initial = Float(configuration.initialDeviation * configuration.initialDeviation)
        // An object passing during the warm-up must not leave a pixel blind for long: its
        // squared differences count at most as a difference of twice the initial deviation.
        let clip = 4 * initial
        mean.withUnsafeMutableBufferPointer { mean in
        variance.withUnsafeMutableBufferPointer { variance in
        age.withUnsafeMutableBufferPointer { age in
        foreground.withUnsafeMutableBufferPointer { mask in
        sinceWarmUp.withUnsafeMutableBufferPointer { sinceWarmUp in
            for index in 0..<pixels.count {
                sinceWarmUp[index] = 1
                let value = Float(pixels[index])
                if seen == 0 {
                    mean[index] = value
                    variance[index] = initial
                } else {
                    let difference = value - mean[index]
                    mean[index] += rate * difference
                    variance[index] += rate * (min(clip, difference * difference) - variance[index])
                }
                age[index] = 0
                mask[index] = 0
            }
        }}}}}
        framesLearned = seen + 1
        gain = 1
    }

    /// The median of frame ÷ background over every other pixel of every other row that was
    /// background in the previous frame, is not excluded and is not too dark to divide by.
    /// 1 when too few such pixels are left (the picture is mostly foreground).
    func estimateGain(_ pixels: UnsafeBufferPointer<UInt8>) -> Double {
        var histogram = self.histogram
        let bins = Self.histogramBins
        var samples: Int32 = 0
        histogram.withUnsafeMutableBufferPointer { counts in
            for bin in 0..<bins { counts[bin] = 0 }
            mean.withUnsafeBufferPointer { mean in
            foreground.withUnsafeBufferPointer { mask in
            exclusion.withUnsafeBufferPointer { excluded in
                var row = 0
                while row < height {
                    var index = row * width
                    let end = index + width
                    while index < end {
                        let background = mean[index]
                        if mask[index] == 0 && excluded[index] == 0 && background >= 16 {
                            let bin = Int(Float(pixels[index]) / background * Self.binsPerUnit + 0.5)
                            counts[min(bins - 1, bin)] += 1
                            samples += 1
                        }
                        index += 2
                    }
                    row += 2
                }
            }}}
        }
        guard samples >= 64 else { return 1 }
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

    /// The raw foreground: pixels further from `gain × background` than their threshold, and
    /// (when shake is tolerated) further than that from every background pixel near them.
    mutating func classify(_ pixels: UnsafeBufferPointer<UInt8>, gain: Float) {
        let w = width, h = height, radius = configuration.shakeRadius
        let k2 = Float(configuration.sensitivity * configuration.sensitivity)
        let floor2 = Float(configuration.minimumDifference * configuration.minimumDifference)
        mean.withUnsafeBufferPointer { mean in
        variance.withUnsafeBufferPointer { variance in
        exclusion.withUnsafeBufferPointer { excluded in
        foreground.withUnsafeMutableBufferPointer { mask in
            for row in 0..<h {
                for column in 0..<w {
                    let index = row * w + column
                    mask[index] = 0
                    guard excluded[index] == 0 else { continue }
                    let value = Float(pixels[index])
                    let difference = value - gain * mean[index]
                    let threshold2 = max(floor2, k2 * variance[index])
                    guard difference * difference > threshold2 else { continue }
                    if radius > 0 {
                        var matched = false
                        for y in max(0, row - radius)...min(h - 1, row + radius) where !matched {
                            for x in max(0, column - radius)...min(w - 1, column + radius) {
                                let near = value - gain * mean[y * w + x]
                                if near * near <= threshold2 { matched = true; break }
                            }
                        }
                        if matched { continue }
                    }
                    mask[index] = 1
                }
            }
        }}}}
    }

    /// Background pixels teach the background (mean toward the frame, variance toward the
    /// light-compensated squared difference); foreground pixels age, and those foreground for
    /// ``MotionConfiguration/absorbSeconds`` (``MotionConfiguration/ghostSeconds`` when they have
    /// been foreground since the warm-up) become background at once.
    mutating func update(_ pixels: UnsafeBufferPointer<UInt8>, gain: Float, elapsed: Float) {
        let rate = min(1, elapsed / Float(max(0.001, configuration.backgroundSeconds)))
        let ceiling = Float(configuration.maximumDeviation * configuration.maximumDeviation)
        let absorb = Float(configuration.absorbSeconds), ghost = Float(configuration.ghostSeconds)
        let k2 = Float(configuration.sensitivity * configuration.sensitivity)
        let floor2 = Float(configuration.minimumDifference * configuration.minimumDifference)
        mean.withUnsafeMutableBufferPointer { mean in
        variance.withUnsafeMutableBufferPointer { variance in
        age.withUnsafeMutableBufferPointer { age in
        exclusion.withUnsafeBufferPointer { excluded in
        foreground.withUnsafeBufferPointer { mask in
        sinceWarmUp.withUnsafeMutableBufferPointer { sinceWarmUp in
            for index in 0..<pixels.count where excluded[index] == 0 {
                let value = Float(pixels[index])
                if mask[index] == 0 {
                    // Specks the cleanup removed and shake-matched pixels count at most as a
                    // difference at the threshold, so they cannot blind the pixel.
                    let difference = value - gain * mean[index]
                    let clip = max(floor2, k2 * variance[index])
                    mean[index] += rate * (value - mean[index])
                    variance[index] = min(ceiling, variance[index] + rate * (min(clip, difference * difference) - variance[index]))
                    age[index] = 0
                    sinceWarmUp[index] = 0
                } else {
                    // Hidden pixels follow the scene's light as the visible ones do (their mean
                    // moves by the same factor a matching background pixel's would), so a
                    // person who stood through dusk leaves no ghost of daylight behind.
                    mean[index] *= 1 + rate * (gain - 1)
                    age[index] += elapsed
                    if age[index] >= absorb || (sinceWarmUp[index] != 0 && age[index] >= ghost) {
                        mean[index] = value / gain
                        age[index] = 0
                        sinceWarmUp[index] = 0
                    }
                }
            }
        }}}}}}
    }
}
