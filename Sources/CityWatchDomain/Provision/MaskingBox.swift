import Foundation

/// A rectangle the operator marks over a third party (a passer-by, a licence plate) on one
/// camera for a stretch of the requested range: it is blurred in the provided video.
public struct MaskingBox: Codable, Sendable, Hashable {
    public var cameraId: UUID
    /// Fractions of the picture's width and height, (0, 0) top left.
    public var box: ImageBox
    /// The stretch during which the box is blurred; within the request's range.
    public var from: Date
    public var to: Date

    public init(cameraId: UUID, box: ImageBox, from: Date, to: Date) {
        self.cameraId = cameraId
        self.box = box
        self.from = from
        self.to = to
    }

    /// The smallest side a box may have (1 % of the picture): anything smaller hides nothing.
    public static let minimumSide = 0.01

    /// Checks the box against the request's cameras and range; `index` names it in the error.
    public func validate(index: Int, cameras: Set<UUID>, from rangeFrom: Date, to rangeTo: Date) throws {
        guard cameras.contains(cameraId) else { throw ProvisionProblem.boxCameraNotInRequest(index: index, cameraId: cameraId) }
        let values = [box.x, box.y, box.width, box.height]
        guard values.allSatisfy(\.isFinite), box.x >= 0, box.y >= 0,
              box.x + box.width <= 1.000_001, box.y + box.height <= 1.000_001 else {
            throw ProvisionProblem.boxOutsidePicture(index: index)
        }
        guard box.width >= Self.minimumSide, box.height >= Self.minimumSide else { throw ProvisionProblem.boxTooSmall(index: index) }
        guard from < to else { throw ProvisionProblem.boxBadTimeSpan(index: index) }
        guard from >= rangeFrom, to <= rangeTo else { throw ProvisionProblem.boxOutsideRange(index: index) }
    }
}
