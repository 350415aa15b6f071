import Foundation

/// The rules of re-tasking, as pure decisions: which cameras may be switched, for how long, what
/// a second switch of the same camera does, and which analytics rules the camera runs meanwhile.
public enum RetaskingPolicy {
    /// The shortest switch, in minutes.
    public static let minimumMinutes = 5
    /// The longest switch, in minutes (24 hours).
    public static let maximumMinutes = 24 * 60
    /// The reason's length, in characters after trimming.
    public static let reasonLength = 3...500
    /// Purposes a camera may be switched to.
    public static let targets: [CameraPurpose] = [.crimePrevention]

    /// What the operator asks for.
    public struct Request: Hashable, Sendable {
        public var cameraID: UUID
        public var to: CameraPurpose
        public var reason: String
        public var minutes: Int
        public var by: String

        public init(cameraID: UUID, to: CameraPurpose = .crimePrevention, reason: String, minutes: Int, by: String) {
            self.cameraID = cameraID
            self.to = to
            self.reason = reason
            self.minutes = minutes
            self.by = by
        }
    }

    /// What to do about a request.
    public enum Plan: Hashable, Sendable {
        /// A new switch: store it and give the camera `settings` (the crime-watch profile).
        case start(Retasking, settings: CameraAnalyticsSettings)
        /// The camera is re-tasked already: the same switch lasts longer (never two at once);
        /// the analytics settings stay as they are.
        case extend(Retasking, previousUntil: Date)
    }

    /// Decides what a request does, or why it cannot be done.
    ///
    /// - Parameters:
    ///   - registryPurpose: the camera's purpose in the registry now.
    ///   - active: the camera's re-tasking that has not been reverted, if any.
    ///   - ownSettings: the camera's analytics settings now (kept to be restored).
    public static func plan(_ request: Request, registryPurpose: CameraPurpose, active: Retasking?,
                            ownSettings: CameraAnalyticsSettings, now: Date, id: UUID = UUID()) throws(RetaskingError) -> Plan {
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reasonLength.contains(reason.count) else { throw .reasonLength(reason.count) }
        guard (minimumMinutes...maximumMinutes).contains(request.minutes) else { throw .duration(minutes: request.minutes) }
        guard targets.contains(request.to) else { throw .unsupportedTarget(request.to.code) }
        let until = now.addingTimeInterval(Double(request.minutes) * 60)
        if var active, active.revertedAt == nil {
            guard active.toPurpose == request.to else { throw .alreadyRetasked(to: active.toPurpose, until: active.until) }
            let previous = active.until
            active.until = max(previous, until)
            return .extend(active, previousUntil: previous)
        }
        guard registryPurpose.isParkingEnforcement else { throw .notParkingCamera(registryPurpose) }
        let retasking = Retasking(id: id, cameraID: request.cameraID, fromPurpose: registryPurpose, toPurpose: request.to,
                                  reason: reason, from: now, until: until, by: request.by, savedSettings: ownSettings)
        return .start(retasking, settings: crimeWatchSettings(replacing: ownSettings))
    }

    /// The settings a camera runs on crime watch: analysis on, the crime-watch rules instead of
    /// its own, and its privacy masks kept (a switch of purpose never uncovers anything).
    public static func crimeWatchSettings(replacing own: CameraAnalyticsSettings) -> CameraAnalyticsSettings {
        CameraAnalyticsSettings(enabled: true, rules: crimeWatchRules, privacyMasks: own.privacyMasks)
    }

    /// Ids of the crime-watch rules: fixed, so events and the console can tell them apart.
    public static let loiteringRuleID = UUID(uuidString: "5C0A7E01-0000-4000-8000-000000000001")!
    public static let nightIntrusionRuleID = UUID(uuidString: "5C0A7E01-0000-4000-8000-000000000002")!

    /// A person lingering anywhere in the picture for two minutes, and anyone in the picture at
    /// night (22:00–06:00): what a crime-prevention camera watches for.
    public static let crimeWatchRules: [AnalyticsRule] = [
        AnalyticsRule(id: loiteringRuleID, name: "방범 전환: 배회 · crime watch: loitering",
                      kind: .loitering(zone: .wholePicture, seconds: 120), classes: [.person], coolDownSeconds: 120),
        AnalyticsRule(id: nightIntrusionRuleID, name: "방범 전환: 야간 침입 · crime watch: night intrusion",
                      kind: .intrusion(zone: .wholePicture), classes: [.person], coolDownSeconds: 300,
                      schedule: WeeklySchedule(windows: [.init(days: Set(1...7), startMinute: 22 * 60, endMinute: 6 * 60)])),
    ]

    /// The settings to give the camera back when `retasking` ends: exactly those it had before.
    public static func restoredSettings(after retasking: Retasking, current: CameraAnalyticsSettings) -> CameraAnalyticsSettings {
        // Privacy masks are the camera's, not the watch's: drawn or removed during the switch,
        // they stay as they are now (a revert never uncovers what was masked meanwhile).
        CameraAnalyticsSettings(enabled: retasking.savedSettings.enabled, rules: retasking.savedSettings.rules,
                                privacyMasks: current.privacyMasks)
    }

    /// The re-taskings whose time is over and that the sweep reverts now, earliest first.
    public static func due(_ retaskings: [Retasking], at now: Date) -> [Retasking] {
        retaskings.filter { $0.isDue(at: now) }.sorted { $0.until < $1.until }
    }
}

extension CameraPurpose {
    /// True for the cameras re-tasking applies to: 교통단속 (traffic and parking enforcement),
    /// and registry text that names parking (주정차단속, 불법주차 …).
    public var isParkingEnforcement: Bool {
        switch self {
        case .trafficEnforcement: true
        case .other(let text): text.contains("주정차") || text.contains("주차")
        default: false
        }
    }
}
