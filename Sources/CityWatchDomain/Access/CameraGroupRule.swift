import Foundation

/// Which cameras a camera group holds: by purpose, by area, or hand-picked.
///
/// A camera belongs to the group when it matches every part that is given (an empty rule
/// matches nothing, so a mistake never opens every camera). A police desk is typically an
/// area; a school officer's group is `childProtection` inside the school district's box.
public struct CameraGroupRule: Hashable, Sendable, Codable {
    /// Purposes the camera must have (any of them).
    public var purposes: [String]?
    /// Area the camera must stand in.
    public var bbox: GeoBoundingBox?
    /// Cameras picked by hand (any of them).
    public var cameraIds: [UUID]?

    public init(purposes: [String]? = nil, bbox: GeoBoundingBox? = nil, cameraIds: [UUID]? = nil) {
        self.purposes = purposes
        self.bbox = bbox
        self.cameraIds = cameraIds
    }

    /// Why a rule cannot be used.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// Nothing is given: the group would hold no camera.
        case empty
        /// A purpose code is not one the registry knows.
        case unknownPurpose(String)

        public var description: String {
            switch self {
            case .empty: "the rule names no purpose, area or camera, so it would hold no camera"
            case .unknownPurpose(let code): "unknown purpose '\(code)'; use one of \((CameraPurpose.standard.map(\.code) + ["other"]).joined(separator: ", "))"
            }
        }
    }

    /// Checks the rule can hold cameras.
    public func validate() throws(Problem) {
        if (purposes ?? []).isEmpty && bbox == nil && (cameraIds ?? []).isEmpty { throw .empty }
        for code in purposes ?? [] where CameraPurpose(code: code) == nil && code != "other" {
            throw .unknownPurpose(code)
        }
    }

    /// True when a camera with this id, purpose and position belongs to the group.
    public func contains(cameraID: UUID, purpose: CameraPurpose, location: GeoPoint) -> Bool {
        var matchedSomething = false
        if let purposes, !purposes.isEmpty {
            guard purposes.contains(purpose.code) else { return false }
            matchedSomething = true
        }
        if let bbox {
            guard bbox.contains(location) else { return false }
            matchedSomething = true
        }
        if let cameraIds, !cameraIds.isEmpty {
            guard cameraIds.contains(cameraID) else { return false }
            matchedSomething = true
        }
        return matchedSomething
    }
}
