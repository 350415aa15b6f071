/// The optional chroma half of the background: mean U and V per chroma pixel (half resolution
/// both ways), learned and updated like the luma mean, tested with one fixed distance
/// (chroma carries little sensor noise). A chroma pixel that differs marks its 2×2 luma
/// pixels as foreground.
///
/// Budget: a quarter of the luma passes' work per plane; no allocation.
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
    /// the shake radius; their luma pixels are added to the raw foreground.
    mutating func classifyChroma(_ color: ColorPlanes, gain: Float) {
        let cw = chromaWidth, ch = (height + 1) / 2, w = width, h = height
        let radius = (configuration.shakeRadius + 1) / 2
        let limit2 = Float(configuration.chromaDifference * configuration.chromaDifference)
        chromaU.withUnsafeBufferPointer { meanU in
        chromaV.withUnsafeBufferPointer { meanV in
        chromaMask.withUnsafeMutableBufferPointer { chroma in
        color.u.withUnsafeBufferPointer { u in
        color.v.withUnsafeBufferPointer { v in
            for row in 0..<ch {
                for column in 0..<cw {
                    let index = row * cw + column
                    let valueU = Float(u[index]) - 128, valueV = Float(v[index]) - 128
                    var differs = true
                    for y in max(0, row - radius)...min(ch - 1, row + radius) where differs {
                        for x in max(0, column - radius)...min(cw - 1, column + radius) {
                            let du = valueU - gain * (meanU[y * cw + x] - 128)
                            let dv = valueV - gain * (meanV[y * cw + x] - 128)
                            if du * du + dv * dv <= limit2 { differs = false; break }
                        }
                    }
                    chroma[index] = differs ? 1 : 0
                }
            }
        }}}}}
        chromaMask.withUnsafeBufferPointer { chroma in
        exclusion.withUnsafeBufferPointer { excluded in
        foreground.withUnsafeMutableBufferPointer { mask in
            for row in 0..<h {
                let chromaRow = (row / 2) * cw
                for column in 0..<w where chroma[chromaRow + column / 2] != 0 {
                    let index = row * w + column
                    if excluded[index] == 0 { mask[index] = 1 }
                }
            }
        }}}
    }

    /// Chroma pixels whose top-left luma pixel is background follow the frame; those whose luma
    /// pixel was just absorbed take the frame's colour at once.
    mutating func updateChroma(_ color: ColorPlanes, gain: Float, elapsed: Float) {
        let cw = chromaWidth, ch = (height + 1) / 2, w = width
        let rate = min(1, elapsed / Float(max(0.001, configuration.backgroundSeconds)))
        chromaU.withUnsafeMutableBufferPointer { meanU in
        chromaV.withUnsafeMutableBufferPointer { meanV in
        foreground.withUnsafeBufferPointer { mask in
        age.withUnsafeBufferPointer { age in
            for row in 0..<ch {
                for column in 0..<cw {
                    let index = row * cw + column, luma = 2 * row * w + 2 * column
                    let valueU = Float(color.u[index]), valueV = Float(color.v[index])
                    if mask[luma] == 0 {
                        meanU[index] += rate * (valueU - meanU[index])
                        meanV[index] += rate * (valueV - meanV[index])
                    } else if age[luma] == 0 {
                        meanU[index] = 128 + (valueU - 128) / gain
                        meanV[index] = 128 + (valueV - 128) / gain
                    }
                }
            }
        }}}}
    }
}
