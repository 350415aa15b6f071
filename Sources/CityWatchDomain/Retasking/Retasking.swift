import Foundation

/// A camera switched from its registry purpose to another one for a while — in practice a
/// parking-enforcement camera put on crime watch in an emergency.
///
/// The registry keeps the camera's purpose; a re-tasking lies over it until `until` or until it
/// is reverted early. While it is active the camera's analytics run the crime-watch rules profile
/// and the camera's own settings wait in ``savedSettings``, to be put back exactly.
public struct Retasking: Identifiable, Hashable, Sendable {
    public var id: UUID
    public var cameraID: UUID
    /// The registry's purpose when the switch was made.
    public var fromPurpose: CameraPurpose
    /// The purpose the camera serves while re-tasked.
    public var toPurpose: CameraPurpose
    /// Why the operator switched it (3–500 characters).
    public var reason: String
    /// When the switch was made.
    public var from: Date
    /// When it reverts by itself (moved later when the camera is re-tasked again).
    public var until: Date
    /// Who switched it.
    public var by: String
    /// The camera's own analytics settings before the switch.
    public var savedSettings: CameraAnalyticsSettings
    /// When it was reverted (early by a user, or at `until` by the system); nil while it lasts.
    public var revertedAt: Date?
    /// Who reverted it: a user name, or `system` for the automatic revert.
    public var revertedBy: String?

    public init(id: UUID = UUID(), cameraID: UUID, fromPurpose: CameraPurpose, toPurpose: CameraPurpose, reason: String,
                from: Date, until: Date, by: String, savedSettings: CameraAnalyticsSettings,
                revertedAt: Date? = nil, revertedBy: String? = nil) {
        self.id = id
        self.cameraID = cameraID
        self.fromPurpose = fromPurpose
        self.toPurpose = toPurpose
        self.reason = reason
        self.from = from
        self.until = until
        self.by = by
        self.savedSettings = savedSettings
        self.revertedAt = revertedAt
        self.revertedBy = revertedBy
    }

    /// True when the camera serves ``toPurpose`` at `time`.
    public func isActive(at time: Date) -> Bool {
        revertedAt == nil && from <= time && time < until
    }

    /// True when it has not been reverted yet but its time is over: the sweep reverts it.
    public func isDue(at time: Date) -> Bool {
        revertedAt == nil && time >= until
    }

    /// Where the camera belongs on the video wall while this lasts.
    public var wallPlacement: WallPlacement { .crimeWatch(until: until) }

    /// The purpose a camera serves at `time`: the re-tasking's when one is active, else the
    /// registry's.
    public static func effectivePurpose(registry: CameraPurpose, retasking: Retasking?, at time: Date) -> CameraPurpose {
        guard let retasking, retasking.isActive(at: time) else { return registry }
        return retasking.toPurpose
    }
}

/// Where a camera belongs on the operators' video wall.
public enum WallPlacement: Hashable, Sendable {
    /// Wherever the operator put it (the registry purpose's place).
    case registry
    /// Among the cameras on crime watch, with the time it reverts shown on its tile.
    case crimeWatch(until: Date)

    /// The name the API and the console use.
    public var code: String {
        switch self {
        case .registry: "registry"
        case .crimeWatch: "crimeWatch"
        }
    }
}
