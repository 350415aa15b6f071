import CityWatchDomain
import Foundation

/// The cameras one user may see: all of them for an administrator, otherwise the union of the
/// camera groups granted to the user. Everything a user is shown passes through a scope.
public struct CameraScope: Sendable {
    /// nil means every camera.
    public let allowed: Set<UUID>?

    /// Every camera.
    public static let everything = CameraScope(allowed: nil)

    public init(allowed: Set<UUID>?) {
        self.allowed = allowed
    }

    /// How many rows of a list (alarms, incidents, events) to read to show up to `limit` of them
    /// to a user of this scope: every row may be shown when it is every camera; otherwise others'
    /// rows are left out after reading, so more are read (a busy other district must not push
    /// this user's own rows off the page).
    public func rowsToRead(toShow limit: Int) -> Int {
        allowed == nil ? limit : max(limit, 10_000)
    }

    /// The scope of a user with `role` granted groups with `rules`, over `snapshot`.
    public init(role: Role, rules: [CameraGroupRule], snapshot: CameraDirectory.Snapshot) {
        if role.seesAllCameras {
            self.allowed = nil
            return
        }
        var allowed = Set<UUID>()
        for (i, camera) in snapshot.cameras.enumerated() {
            let site = snapshot.siteOfCamera[i]
            if rules.contains(where: { $0.contains(cameraID: camera.id, purpose: site.record.purpose, location: site.record.location) }) {
                allowed.insert(camera.id)
            }
        }
        self.allowed = allowed
    }

    /// True when the user may see camera `id`.
    public func contains(_ id: UUID) -> Bool {
        allowed?.contains(id) ?? true
    }
}
