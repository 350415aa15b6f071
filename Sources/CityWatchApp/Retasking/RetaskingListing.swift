import CityWatchDomain
import CityWatchStore
import Foundation

/// A re-tasking as people read it — in the API's answers and the command's output: the camera's
/// label, both purposes in code and words, the end as HH:MM in district time.
public struct RetaskingListing: Codable, Sendable, Equatable {
    public var id: UUID
    public var cameraId: UUID
    /// The camera's name, or its site's address.
    public var label: String
    /// The registry's purpose the camera returns to.
    public var from: String
    public var fromText: String
    /// The purpose it serves while re-tasked.
    public var to: String
    public var toText: String
    public var reason: String
    public var since: Date
    public var until: Date
    /// `until` as HH:MM in Asia/Seoul.
    public var untilText: String
    public var by: String
    public var active: Bool
    public var revertedAt: Date?
    public var revertedBy: String?
    /// `crimeWatch` while active (among the crime-watch tiles of the wall), else `registry`.
    public var wallPlacement: String
    /// Only in the answer to a re-task: true when the camera was re-tasked already and its end moved.
    public var extended: Bool?

    public init(_ retasking: Retasking, label: String, now: Date, extended: Bool? = nil) {
        id = retasking.id
        cameraId = retasking.cameraID
        self.label = label
        from = retasking.fromPurpose.code
        fromText = retasking.fromPurpose.koreanName
        to = retasking.toPurpose.code
        toText = retasking.toPurpose.koreanName
        reason = retasking.reason
        since = retasking.from
        until = retasking.until
        untilText = Self.districtHourMinute(retasking.until)
        by = retasking.by
        active = retasking.isActive(at: now)
        revertedAt = retasking.revertedAt
        revertedBy = retasking.revertedBy
        wallPlacement = active ? retasking.wallPlacement.code : WallPlacement.registry.code
        self.extended = extended
    }

    /// HH:MM of `date` in the district's time (Asia/Seoul), as the control room's clocks show it.
    public static func districtHourMinute(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Seoul") ?? .current
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}

extension RetaskingService {
    /// The re-taskings in force now (earliest end first) and those reverted in the last 24 hours
    /// (newest first), of the cameras in `scope`, labelled from `snapshot`.
    public func listings(snapshot: CameraDirectory.Snapshot, scope: CameraScope) async throws -> (active: [RetaskingListing], recent: [RetaskingListing]) {
        let now = clock()
        let repository = RetaskingRepository(database: database)
        func listing(_ retasking: Retasking) -> RetaskingListing {
            let label = snapshot.camera(retasking.cameraID).map(snapshot.label(of:)) ?? "(not in the registry)"
            return RetaskingListing(retasking, label: label, now: now)
        }
        let active = try await repository.unreverted().filter { scope.contains($0.cameraID) && $0.isActive(at: now) }
        let recent = try await repository.reverted(since: now.addingTimeInterval(-86_400)).filter { scope.contains($0.cameraID) }
        return (active.map(listing), recent.map(listing))
    }
}
