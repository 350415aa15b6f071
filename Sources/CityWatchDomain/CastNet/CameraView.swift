/// Which way a camera looks: a compass direction and a field of view, or all round.
public struct CameraView: Hashable, Sendable, Codable {
    /// Degrees clockwise from north the lens points to; nil for an all-round (360°) camera.
    public var direction: Double?
    /// Width of the view in degrees, 0…360.
    public var fieldOfView: Double

    /// A camera that sees every way: a PTZ dome, or one whose direction is not known.
    public static let omnidirectional = CameraView(direction: nil, fieldOfView: 360)

    /// The field of view assumed when only a direction is known: a typical fixed box camera.
    public static let typicalFieldOfView = 90.0

    public init(direction: Double?, fieldOfView: Double = CameraView.typicalFieldOfView) {
        if let direction, direction.isFinite {
            let wrapped = direction.truncatingRemainder(dividingBy: 360)
            self.direction = wrapped < 0 ? wrapped + 360 : wrapped
        } else {
            self.direction = nil
        }
        self.fieldOfView = fieldOfView.isFinite ? min(360, max(0, fieldOfView)) : 360
        if self.direction == nil { self.fieldOfView = 360 }
    }

    /// True when something at compass `bearing` from the camera is inside its view: within
    /// half the field of view either side of the direction it looks.
    public func covers(bearing: Double) -> Bool {
        guard let direction, fieldOfView < 360 else { return true }
        var difference = abs(bearing - direction).truncatingRemainder(dividingBy: 360)
        if difference > 180 { difference = 360 - difference }
        return difference <= fieldOfView / 2 + 1e-9
    }
}
