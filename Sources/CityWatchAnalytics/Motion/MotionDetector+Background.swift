/// The background model's learning: the warm-up and the selective update. Both run on the
/// detector's own buffers.
///
/// Budget: update ≤ 40 µs per 320×180 frame (release, one core; measured ~33 µs, where one
/// branching loop over every pixel took ~115): background pixels are updated in one
/// branch-free pass the optimiser vectorises; the foreground pixels (a few per cent) are
/// visited one by one from the packed mask.
extension MotionDetector {
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
            for index in 0..<pixels.count {
                let value = Float(pixels[index])
                if seen == 0 {
                    mean[index] = value
                    variance[index] = initial
                } else {
                    let difference = value - mean[index]
                    mean[index] += rate * difference
                    variance[index] += rate * (min(clip, difference * difference) - variance[index])
                }
            }
        }}
        age.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        foreground.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        foregroundBits.clear()
        previousBits.clear()
        sinceWarmUp.fill()
        if previousIsStale {
            previous.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: pixels.baseAddress!, count: pixels.count) }
            previousIsStale = false
        }
        framesLearned = seen + 1
        gain = 1
    }

    /// Background pixels teach the background (mean toward the frame, variance toward the
    /// light-compensated squared difference); foreground pixels age, and those foreground for
    /// ``MotionConfiguration/absorbSeconds`` (``MotionConfiguration/ghostSeconds`` when they have
    /// been foreground since the warm-up) become background at once.
    mutating func update(_ pixels: UnsafeBufferPointer<UInt8>, gain: Float, elapsed: Float) {
        let rate = min(1, elapsed / Float(max(0.001, configuration.backgroundSeconds)))
        let ceiling = Float(configuration.maximumDeviation * configuration.maximumDeviation)
        let k2 = Float(configuration.sensitivity * configuration.sensitivity)
        let floor2 = Float(configuration.minimumDifference * configuration.minimumDifference)
        let initial2 = Float(configuration.initialDeviation * configuration.initialDeviation)
        let count = width * height
        mean.withUnsafeMutableBufferPointer { mean in
        variance.withUnsafeMutableBufferPointer { variance in
        exclusion.withUnsafeBufferPointer { excluded in
        foreground.withUnsafeBufferPointer { mask in
            let p = pixels.baseAddress!, m = mean.baseAddress!, v = variance.baseAddress!
            let e = excluded.baseAddress!, f = mask.baseAddress!
            // A variance only exceeds the ceiling if the warm-up put it there (its clip is 4 ×
            // the initial one): unless that comes near the ceiling, a held pixel needs no
            // protecting from it.
            let holdsCeiling = 4 * initial2 >= ceiling / 2
            switch (hasExclusions, holdsCeiling) {
            case (true, true): Self.learnBackground(p, m, v, f, e, count, gain, rate, k2, floor2, ceiling, true, true)
            case (true, false): Self.learnBackground(p, m, v, f, e, count, gain, rate, k2, floor2, ceiling, true, false)
            case (false, true): Self.learnBackground(p, m, v, f, e, count, gain, rate, k2, floor2, ceiling, false, true)
            case (false, false): Self.learnBackground(p, m, v, f, e, count, gain, rate, k2, floor2, ceiling, false, false)
            }
        }}}}
        updateForeground(pixels, gain: gain, elapsed: elapsed, rate: rate)
    }

    /// The background half of ``update(_:gain:elapsed:)``: every pixel learns but foreground
    /// ones (and, when `checksExclusions`, excluded ones).
    ///
    /// Branch-free so that the optimiser vectorises it: a held pixel gets rate 0 (and, when
    /// `holdsCeiling`, no ceiling), which leaves its mean and variance as they were (a choice of
    /// stores would be compiled back into a branch per pixel).
    @inline(__always)
    private static func learnBackground(_ p: UnsafePointer<UInt8>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                                        _ f: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>, _ count: Int, _ gain: Float,
                                        _ rate: Float, _ k2: Float, _ floor2: Float, _ ceiling: Float,
                                        _ checksExclusions: Bool, _ holdsCeiling: Bool) {
        for index in 0..<count {
            let isBackground = checksExclusions ? f[index] | e[index] == 0 : f[index] == 0
            let pixelRate: Float = isBackground ? rate : 0
            let pixelCeiling: Float = !holdsCeiling || isBackground ? ceiling : .infinity
            let value = Float(p[index]), oldMean = m[index], oldVariance = v[index]
            // Specks the cleanup removed and shake-matched pixels count at most as a
            // difference at the threshold, so they cannot blind the pixel.
            let difference = value - gain * oldMean
            // `max` and `min` written out: each compiles to one instruction.
            let scaled = k2 * oldVariance, squared = difference * difference
            let clip = scaled > floor2 ? scaled : floor2
            let learned = oldVariance + pixelRate * ((squared < clip ? squared : clip) - oldVariance)
            m[index] = oldMean + pixelRate * (value - oldMean)
            v[index] = learned < pixelCeiling ? learned : pixelCeiling
        }
    }

    /// The foreground half of ``update(_:gain:elapsed:)``, word by word of the packed masks:
    /// ages grow (and restart where a pixel stopped being foreground), hidden pixels follow the
    /// scene's light, long-stopped ones are absorbed.
    private mutating func updateForeground(_ pixels: UnsafeBufferPointer<UInt8>, gain: Float, elapsed: Float, rate: Float) {
        let absorb = Float(configuration.absorbSeconds), ghost = Float(configuration.ghostSeconds)
        let w = width, rowWords = foregroundBits.rowWords
        // Hidden pixels follow the scene's light as the visible ones do (their mean moves by
        // the same factor a matching background pixel's would), so a person who stood through
        // dusk leaves no ghost of daylight behind.
        let follow = 1 + rate * (gain - 1)
        mean.withUnsafeMutableBufferPointer { mean in
        age.withUnsafeMutableBufferPointer { age in
        foregroundBits.words.withUnsafeBufferPointer { current in
        previousBits.words.withUnsafeMutableBufferPointer { previous in
        sinceWarmUp.words.withUnsafeMutableBufferPointer { since in
        exclusionBits.words.withUnsafeBufferPointer { excluded in
            for word in 0..<current.count {
                let row = word / rowWords
                let now = current[word], first = row * w + (word - row * rowWords) * 64
                // Background again (excluded pixels keep theirs, as they are never updated).
                var stopped = previous[word] & ~now & ~excluded[word]
                while stopped != 0 {
                    age[first + stopped.trailingZeroBitCount] = 0
                    stopped &= stopped &- 1
                }
                var ghosts = since[word] & (now | excluded[word])
                var moving = now
                while moving != 0 {
                    let bit = moving.trailingZeroBitCount, index = first + bit
                    moving &= moving &- 1
                    mean[index] *= follow
                    age[index] += elapsed
                    if age[index] >= absorb || (ghosts &>> UInt64(bit) & 1 != 0 && age[index] >= ghost) {
                        mean[index] = Float(pixels[index]) / gain
                        age[index] = 0
                        ghosts &= ~(1 &<< UInt64(bit))
                    }
                }
                since[word] = ghosts
                previous[word] = now
            }
        }}}}}}
    }
}
