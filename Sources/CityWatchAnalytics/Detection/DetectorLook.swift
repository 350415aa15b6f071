import CityWatchDomain

/// One person or vehicle a detector found in a frame, as the tracker takes it. The analytics
/// core runs no network itself: the application (or the evaluation) runs the detector where a
/// ``DetectionSchedule`` asks and hands the result back as a ``DetectorLook``.
public struct DetectedObject: Sendable, Hashable {
    /// What it is.
    public var objectClass: ObjectClass
    /// How sure the detector is, 0…1.
    public var confidence: Double
    /// Where, in pixels of the analysis frame.
    public var box: PixelBox

    public init(objectClass: ObjectClass, confidence: Double, box: PixelBox) {
        self.objectClass = objectClass
        self.confidence = confidence
        self.box = box
    }
}

/// What one detector run saw: the part of a frame it looked at, when that frame was taken, and
/// the objects found there. Objects inside `region` that the detector did not name were looked
/// at and not found, which matters as much as what was found.
public struct DetectorLook: Sendable, Hashable {
    /// The part of the analysis frame looked at.
    public var region: PixelBox
    /// Analysis clock of the frame looked at (a look may arrive a frame or two later).
    public var time: Double
    /// The persons and vehicles found, in analysis-frame pixels.
    public var objects: [DetectedObject]

    public init(region: PixelBox, time: Double, objects: [DetectedObject]) {
        self.region = region
        self.time = time
        self.objects = objects
    }
}
