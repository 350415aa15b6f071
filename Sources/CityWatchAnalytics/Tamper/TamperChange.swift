/// A camera's tamper state changed: what the maintenance log records and what opens or closes a
/// ticket.
public struct TamperChange: Sendable, Hashable, CustomStringConvertible {
    public var from: TamperState
    public var to: TamperState
    /// Seconds (analysis clock) of the frame that completed the change's hold time.
    public var time: Double
    /// The figures of that frame.
    public var measurement: TamperMeasurement

    public init(from: TamperState, to: TamperState, time: Double, measurement: TamperMeasurement) {
        self.from = from
        self.to = to
        self.time = time
        self.measurement = measurement
    }

    /// The one figure that tells the change: luma contrast for covered, sharpness ratio for
    /// defocused, shift in pixels for moved (1 − similarity when the view matches nowhere),
    /// unchanged seconds for frozen; for a return to normal, the same figure of the state left.
    public var figure: Double {
        switch to == .normal ? from : to {
        case .covered, .normal: measurement.contrast
        case .defocused: measurement.sharpnessRatio ?? 1
        case .moved:
            measurement.shiftDistance > 0 ? measurement.shiftDistance : 1 - (measurement.similarity ?? 1)
        case .frozen: measurement.unchangedSeconds
        }
    }

    /// What `figure` is, for the log.
    public var figureName: String {
        switch to == .normal ? from : to {
        case .covered, .normal: "luma contrast"
        case .defocused: "sharpness ratio"
        case .moved: measurement.shiftDistance > 0 ? "shift px" : "dissimilarity"
        case .frozen: "unchanged s"
        }
    }

    /// The change on the analysis clock: `normal → moved at 19.0 s (shift px 20.0)`.
    public var description: String { text(at: "\(time) s") }

    /// The change with `when` told for its time, for a reader who needs another clock than the
    /// analysis one (a wall clock in the control room's time zone).
    public func text(at when: String) -> String {
        let rounded = (figure * 100).rounded() / 100
        return "\(from.rawValue) → \(to.rawValue) at \(when) (\(figureName) \(rounded))"
    }
}
