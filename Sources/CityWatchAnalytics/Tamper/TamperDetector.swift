/// Watches one camera's picture for tampering and failure: a covered or blinded lens, lost
/// focus, a camera turned away, a frozen stream.
///
/// Fed every analysis frame with its time. It first learns a *reference* view once the picture
/// has been steady for ``Configuration/learnSeconds``, then compares each frame with it:
/// - **covered**: the picture is nearly uniform (tiny luma contrast), or very dark or saturated
///   with little contrast, and has lost the reference's edges (a dark street keeps them);
/// - **frozen**: the frame is the previous one again, to the level;
/// - **defocused**: sharpness — gradient energy over luma variance — far below the reference's;
/// - **moved**: the column and row edge profiles match the reference's best at a large shift,
///   or nowhere well, and the view is steady (it matches the last second's).
///
/// Each figure is scaled so that a global change of light (dusk, a street light, headlights
/// sweeping) cancels out, and each condition must hold without a break for its own hold time
/// before it is declared, and be gone for ``Configuration/clearSeconds`` before it is cleared:
/// people walking through never raise anything. When several hold at once the first in the
/// list above wins.
///
/// Two kinds of picture are not evidence of tampering, as the demo's synthetic cameras showed
/// (a flat yard, people on a plain street, looped clips analysed at whatever rate the machine
/// keeps up with):
/// - a picture without detail that is not a covered lens (a plain yard with nobody in it) is
///   judged normal: it has no focus to lose, nothing to place the view by, and a repeat of it
///   proves no freeze — a still, plain view repeats exactly too;
/// - a view that keeps changing is what stands in front of the camera, not where the camera
///   points: when people or traffic are all the picture has, their edges are all a reference
///   learnt from it holds, and they move on. A camera turned away shows a steady new view.
///
/// Budget: ≤ 0.3 ms per 320×180 frame in a release build (one pass over the pixels plus the
/// profile shift search; measured ~0.2 ms on a loaded 2-core VM); buffers are allocated at
/// init, nothing per frame.
public struct TamperDetector: Sendable {
    public let width: Int
    public let height: Int
    public let configuration: Configuration
    /// The state declared so far.
    public private(set) var state: TamperState = .normal
    /// The figures of the last frame.
    public private(set) var measurement = TamperMeasurement()
    /// True once a reference view has been learnt.
    public private(set) var hasReference = false

    private var statistics: TamperFrameStatistics
    private var referenceColumns: [Double]
    private var referenceRows: [Double]
    private var referenceSharpness = 0.0
    /// The reference view's contrast: a view that is itself nearly featureless (a blank wall,
    /// a plain synthetic background) cannot be told from a covered lens by its contrast.
    private var referenceContrast = 0.0
    /// Frames summed into the reference being learnt, and since when the picture is steady.
    private var learnFrames = 0
    private var learnSince: Double?
    /// The condition seen in recent frames that differs from `state`, and since when.
    private var pending: TamperState?
    private var pendingSince = 0.0
    private var unchangedSince: Double?
    private var lastTime: Double?
    /// The edge profiles of the last second or so (an exponential average), to tell a steady
    /// view from one that keeps changing.
    private var recentColumns: [Double]
    private var recentRows: [Double]
    private var hasRecent = false

    /// A detector for frames of `width` × `height`.
    public init(width: Int, height: Int, configuration: Configuration = Configuration()) {
        self.width = max(1, width)
        self.height = max(1, height)
        self.configuration = configuration
        statistics = TamperFrameStatistics(width: self.width, height: self.height)
        referenceColumns = [Double](repeating: 0, count: self.width)
        referenceRows = [Double](repeating: 0, count: self.height)
        recentColumns = [Double](repeating: 0, count: self.width)
        recentRows = [Double](repeating: 0, count: self.height)
    }

    /// Takes the frame shown at `time` (seconds, analysis clock) and returns the change of state
    /// it completes, if any. A frame of another size is ignored.
    public mutating func process(_ frame: GrayImage, time: Double) -> TamperChange? {
        guard frame.width == width, frame.height == height else { return nil }
        frame.pixels.withUnsafeBufferPointer { statistics.measure($0) }
        let previousTime = lastTime ?? time
        lastTime = time
        measure(time: time, previousTime: previousTime)
        followRecent(elapsed: max(0, time - previousTime))
        let seen = condition()
        if hasReference {
            if seen == .normal, state == .normal { adaptReference(elapsed: max(0, time - previousTime)) }
        } else {
            learn(time: time, steady: seen == .normal)
        }
        return settle(seen, time: time)
    }

    /// Forgets the reference so that the next steady view becomes it: for maintenance to accept
    /// a camera's new view after it was deliberately turned. Until the new reference is learnt
    /// only covered and frozen are judged, so a declared move or defocus clears.
    public mutating func relearn() {
        hasReference = false
        learnSince = nil
        learnFrames = 0
        measurement.sharpnessRatio = nil
        measurement.similarity = nil
        measurement.shiftX = 0
        measurement.shiftY = 0
    }

    // MARK: - Steps

    /// Fills ``measurement`` from the frame's statistics and the reference.
    private mutating func measure(time: Double, previousTime: Double) {
        measurement.meanLuma = statistics.mean
        measurement.contrast = statistics.contrast
        if let difference = statistics.difference, difference <= configuration.frozenDifference {
            if unchangedSince == nil { unchangedSince = previousTime }
        } else {
            unchangedSince = nil
        }
        measurement.unchangedSeconds = unchangedSince.map { time - $0 } ?? 0
        measurement.steadiness = hasRecent
            ? min(TamperProfileMatch.correlation(statistics.columns, recentColumns, shift: 0, count: width),
                  TamperProfileMatch.correlation(statistics.rows, recentRows, shift: 0, count: height))
            : 0
        guard hasReference else { return }
        measurement.sharpnessRatio = referenceSharpness > 0 ? statistics.sharpness / referenceSharpness : nil
        let across = TamperProfileMatch.best(current: statistics.columns, reference: referenceColumns, maxShift: configuration.maxShift)
        let down = TamperProfileMatch.best(current: statistics.rows, reference: referenceRows, maxShift: configuration.maxShift)
        measurement.shiftX = across.shift
        measurement.shiftY = down.shift
        measurement.similarity = min(across.similarity, down.similarity)
    }

    /// The condition this frame shows, by priority; a picture without detail that is not a
    /// covered lens is normal (see the type's notes).
    private func condition() -> TamperState {
        let contrast = measurement.contrast, mean = measurement.meanLuma
        let darkOrDazzled = mean < configuration.darkLuma || mean > configuration.brightLuma
        let blank = contrast < configuration.uniformContrast || (contrast < configuration.dimContrast && darkOrDazzled)
        // A dark street at night is dim too, but keeps the reference's edges. Before there is a
        // reference, only a dark or dazzled blank picture is a covered lens: a mid-gray blank
        // one may be the view itself.
        if blank, !(hasReference && structureKept) {
            let covered = hasReference ? referenceContrast >= 2 * configuration.uniformContrast : darkOrDazzled
            return covered ? .covered : .normal
        }
        if statistics.difference.map({ $0 <= configuration.frozenDifference }) == true { return .frozen }
        guard hasReference else { return .normal }
        if let ratio = measurement.sharpnessRatio, ratio < configuration.defocusRatio { return .defocused }
        let limit = configuration.movedShiftPixels
        if abs(measurement.shiftX) >= limit || abs(measurement.shiftY) >= limit
            || (measurement.similarity ?? 1) < configuration.minimumSimilarity {
            return measurement.steadiness >= configuration.steadySimilarity ? .moved : .normal
        }
        return .normal
    }

    /// True when the frame still shows the reference's edges: as sharp, and the profiles alike.
    private var structureKept: Bool {
        (measurement.sharpnessRatio ?? 0) >= configuration.defocusRatio
            && (measurement.similarity ?? 0) >= configuration.minimumSimilarity
    }

    /// Declares `seen` once it has held for its hold time without a break; frozen counts from
    /// the first repeated frame.
    private mutating func settle(_ seen: TamperState, time: Double) -> TamperChange? {
        guard seen != state else {
            pending = nil
            return nil
        }
        if pending != seen {
            pending = seen
            pendingSince = seen == .frozen ? (unchangedSince ?? time) : time
        }
        guard time - pendingSince >= configuration.holdSeconds(for: seen) else { return nil }
        let change = TamperChange(from: state, to: seen, time: time, measurement: measurement)
        state = seen
        pending = nil
        return change
    }

    /// Sums a steady frame into the reference being learnt; a frame that is blank, frozen or
    /// unlike the frames so far starts the learning again. Done after `learnSeconds` of steadiness.
    private mutating func learn(time: Double, steady: Bool) {
        var fits = steady
        if fits, learnFrames > 0 {
            let mean = 1 / Double(learnFrames)
            let sharpness = referenceSharpness * mean
            let across = TamperProfileMatch.correlation(statistics.columns, referenceColumns, shift: 0, count: width)
            let down = TamperProfileMatch.correlation(statistics.rows, referenceRows, shift: 0, count: height)
            fits = min(across, down) >= 0.6 && statistics.sharpness >= sharpness * 0.6 && statistics.sharpness <= sharpness / 0.6
        }
        if !fits || learnSince == nil {
            learnFrames = 0
            referenceSharpness = 0
            referenceContrast = 0
            for index in referenceColumns.indices { referenceColumns[index] = 0 }
            for index in referenceRows.indices { referenceRows[index] = 0 }
            learnSince = steady ? time : nil
            guard steady else { return }
        }
        learnFrames += 1
        referenceSharpness += statistics.sharpness
        referenceContrast += measurement.contrast
        for index in referenceColumns.indices { referenceColumns[index] += statistics.columns[index] }
        for index in referenceRows.indices { referenceRows[index] += statistics.rows[index] }
        guard let since = learnSince, time - since >= configuration.learnSeconds, learnFrames >= 3 else { return }
        let scale = 1 / Double(learnFrames)
        referenceSharpness *= scale
        referenceContrast *= scale
        for index in referenceColumns.indices { referenceColumns[index] *= scale }
        for index in referenceRows.indices { referenceRows[index] *= scale }
        hasReference = true
    }

    /// Moves the recent profiles towards this frame's (time constant `steadySeconds`).
    private mutating func followRecent(elapsed: Double) {
        let rate = hasRecent ? min(1, elapsed / configuration.steadySeconds) : 1
        hasRecent = true
        for index in recentColumns.indices { recentColumns[index] += (statistics.columns[index] - recentColumns[index]) * rate }
        for index in recentRows.indices { recentRows[index] += (statistics.rows[index] - recentRows[index]) * rate }
    }

    /// Lets the reference follow a normal view slowly (time constant `referenceAdaptSeconds`),
    /// only while the view matches it unshifted.
    private mutating func adaptReference(elapsed: Double) {
        guard configuration.referenceAdaptSeconds > 0, measurement.shiftX == 0, measurement.shiftY == 0,
              (measurement.similarity ?? 0) >= 0.8 else { return }
        let rate = min(1, elapsed / configuration.referenceAdaptSeconds)
        guard rate > 0 else { return }
        referenceSharpness += (statistics.sharpness - referenceSharpness) * rate
        referenceContrast += (measurement.contrast - referenceContrast) * rate
        for index in referenceColumns.indices { referenceColumns[index] += (statistics.columns[index] - referenceColumns[index]) * rate }
        for index in referenceRows.indices { referenceRows[index] += (statistics.rows[index] - referenceRows[index]) * rate }
    }
}
