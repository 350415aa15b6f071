extension TamperDetector {
    /// Thresholds and hold times of the tamper detector. The defaults suit a 320×180 analysis
    /// picture of a street; hold times are long enough that a bus or a crowd passing in front of
    /// the camera never raises anything.
    public struct Configuration: Sendable, Hashable {
        /// The picture must be steady this long before it becomes the reference view.
        public var learnSeconds: Double
        /// How long each condition must hold before it is declared.
        public var coveredSeconds: Double
        public var defocusedSeconds: Double
        public var movedSeconds: Double
        public var frozenSeconds: Double
        /// How long a declared condition must be gone before the state is normal again.
        public var clearSeconds: Double
        /// Luma standard deviation below which the picture is blank whatever its brightness.
        public var uniformContrast: Double
        /// Standard deviation below which a very dark (mean under `darkLuma`) or saturated (over
        /// `brightLuma`) picture counts as covered or blinded.
        public var dimContrast: Double
        public var darkLuma: Double
        public var brightLuma: Double
        /// Sharpness below this fraction of the reference's is defocus.
        public var defocusRatio: Double
        /// Widest shift searched, in pixels on each axis (at most half the picture).
        public var maxShift: Int
        /// A best match this many pixels off (on either axis) is a moved camera.
        public var movedShiftPixels: Int
        /// Edge-profile similarity below which the view matches the reference nowhere: moved.
        public var minimumSimilarity: Double
        /// Mean absolute luma difference from the previous frame at or below which the frame is a
        /// repeat (a live sensor never gets this close, unless the picture has no detail at all).
        public var frozenDifference: Double
        /// Time constant with which the reference follows slow changes of a normal view (parked
        /// cars, seasons, night noise); 0 keeps it as learnt.
        public var referenceAdaptSeconds: Double
        /// Time constant of the recent view each frame is compared with, and the edge-profile
        /// correlation with it from which the view is steady: only a steady view can be a moved
        /// camera. A real street, crowded or not, stays above 0.6 frame after frame; a picture
        /// made only of people or cars passing over a plain ground stays under 0.3.
        public var steadySeconds: Double
        public var steadySimilarity: Double

        public init(learnSeconds: Double = 3, coveredSeconds: Double = 3, defocusedSeconds: Double = 5,
                    movedSeconds: Double = 4, frozenSeconds: Double = 8, clearSeconds: Double = 2,
                    uniformContrast: Double = 4, dimContrast: Double = 10, darkLuma: Double = 24, brightLuma: Double = 232,
                    defocusRatio: Double = 0.4, maxShift: Int = 40, movedShiftPixels: Int = 8,
                    minimumSimilarity: Double = 0.4, frozenDifference: Double = 0.1, referenceAdaptSeconds: Double = 120,
                    steadySeconds: Double = 1, steadySimilarity: Double = 0.5) {
            self.learnSeconds = learnSeconds
            self.coveredSeconds = coveredSeconds
            self.defocusedSeconds = defocusedSeconds
            self.movedSeconds = movedSeconds
            self.frozenSeconds = frozenSeconds
            self.clearSeconds = clearSeconds
            self.uniformContrast = uniformContrast
            self.dimContrast = dimContrast
            self.darkLuma = darkLuma
            self.brightLuma = brightLuma
            self.defocusRatio = defocusRatio
            self.maxShift = maxShift
            self.movedShiftPixels = movedShiftPixels
            self.minimumSimilarity = minimumSimilarity
            self.frozenDifference = frozenDifference
            self.referenceAdaptSeconds = referenceAdaptSeconds
            self.steadySeconds = steadySeconds
            self.steadySimilarity = steadySimilarity
        }

        /// How long `state` must be seen before it is declared (`clearSeconds` for normal).
        func holdSeconds(for state: TamperState) -> Double {
            switch state {
            case .normal: clearSeconds
            case .covered: coveredSeconds
            case .defocused: defocusedSeconds
            case .moved: movedSeconds
            case .frozen: frozenSeconds
            }
        }
    }
}
