import CityWatchDomain
import Foundation
import Testing

/// The rules of switching a parking camera to crime watch: who, how long, what a second switch
/// does, and what the camera runs and gets back.
@Suite("Re-tasking policy")
struct RetaskingPolicyTests {
    let camera = UUID()
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// Settings a parking camera might have: its own rule and a privacy mask.
    let ownSettings: CameraAnalyticsSettings = {
        let zone = ImagePolygon(points: [ImagePoint(x: 0.1, y: 0.6), ImagePoint(x: 0.9, y: 0.6), ImagePoint(x: 0.9, y: 0.95)])
        let mask = ImagePolygon(points: [ImagePoint(x: 0, y: 0), ImagePoint(x: 0.2, y: 0), ImagePoint(x: 0.2, y: 0.2)])
        return CameraAnalyticsSettings(enabled: false, rules: [
            AnalyticsRule(name: "no parking bay", kind: .objectLeft(zone: zone, seconds: 300), classes: [.car, .truck], coolDownSeconds: 600),
        ], privacyMasks: [mask])
    }()

    func request(minutes: Int = 30, reason: String = "robbery reported near the car park", to: CameraPurpose = .crimePrevention) -> RetaskingPolicy.Request {
        RetaskingPolicy.Request(cameraID: camera, to: to, reason: reason, minutes: minutes, by: "kim")
    }

    func start(_ request: RetaskingPolicy.Request, purpose: CameraPurpose = .trafficEnforcement) throws -> (Retasking, CameraAnalyticsSettings) {
        let plan = try RetaskingPolicy.plan(request, registryPurpose: purpose, active: nil, ownSettings: ownSettings, now: now)
        guard case .start(let retasking, let settings) = plan else { throw PlanWasNotAStart() }
        return (retasking, settings)
    }

    struct PlanWasNotAStart: Error {}

    @Test func aParkingCameraSwitchesToCrimeWatchRulesKeepingItsMasks() throws {
        let (retasking, settings) = try start(request())
        #expect(retasking.fromPurpose == .trafficEnforcement && retasking.toPurpose == .crimePrevention)
        #expect(retasking.until == now.addingTimeInterval(1_800) && retasking.from == now && retasking.by == "kim")
        #expect(settings.enabled, "crime watch is analysed even when the camera's own analytics were off")
        #expect(settings.rules.map(\.id) == [RetaskingPolicy.loiteringRuleID, RetaskingPolicy.nightIntrusionRuleID])
        #expect(settings.rules.allSatisfy { $0.kind.zone == .wholePicture && $0.classes == [.person] })
        #expect(settings.rules.allSatisfy { (try? $0.validated()) != nil }, "the profile passes the rule editor's checks")
        #expect(settings.privacyMasks == ownSettings.privacyMasks, "a switch of purpose uncovers nothing")
        #expect(retasking.savedSettings == ownSettings)
    }

    @Test func theRevertGivesBackExactlyTheCamerasOwnSettings() throws {
        let (retasking, settings) = try start(request())
        #expect(settings != ownSettings)
        #expect(RetaskingPolicy.restoredSettings(after: retasking, current: settings) == ownSettings)
        // A mask drawn during the switch stays after it; the switch's rules go.
        var masked = settings
        let drawn = ImagePolygon(points: [ImagePoint(x: 0.1, y: 0.1), ImagePoint(x: 0.3, y: 0.1), ImagePoint(x: 0.3, y: 0.3)])
        masked.privacyMasks.append(drawn)
        let restored = RetaskingPolicy.restoredSettings(after: retasking, current: masked)
        #expect(restored.privacyMasks == ownSettings.privacyMasks + [drawn] && restored.rules == ownSettings.rules
                && restored.enabled == ownSettings.enabled)
    }

    @Test(arguments: [(4, false), (5, true), (1_440, true), (1_441, false), (0, false), (-30, false)])
    func durationsFromFiveMinutesToADayAreAccepted(minutes: Int, accepted: Bool) throws {
        if accepted {
            #expect(try start(request(minutes: minutes)).0.until == now.addingTimeInterval(Double(minutes) * 60))
        } else {
            #expect(throws: RetaskingError.duration(minutes: minutes)) { try start(request(minutes: minutes)) }
        }
    }

    @Test func theReasonIsThreeToFiveHundredCharactersAfterTrimming() throws {
        #expect(throws: RetaskingError.reasonLength(2)) { try start(request(reason: "  ab \n")) }
        #expect(throws: RetaskingError.reasonLength(501)) { try start(request(reason: String(repeating: "가", count: 501))) }
        #expect(try start(request(reason: " 112 ")).0.reason == "112")
        #expect(try start(request(reason: String(repeating: "가", count: 500))).0.reason.count == 500)
        #expect(RetaskingError.reasonLength(2).field == "reason")
    }

    @Test func onlyParkingAndTrafficEnforcementCamerasAreSwitched() throws {
        for purpose in [CameraPurpose.crimePrevention, .childProtection, .disasterWatch, .other("기타"), .other("")] {
            #expect(throws: RetaskingError.notParkingCamera(purpose)) { try start(request(), purpose: purpose) }
        }
        #expect(try start(request(), purpose: .other("주정차단속")).0.fromPurpose == .other("주정차단속"))
        #expect(RetaskingError.notParkingCamera(.childProtection).description.contains("어린이보호"))
    }

    @Test func onlyCrimeWatchIsATarget() {
        #expect(throws: RetaskingError.unsupportedTarget("childProtection")) { try start(request(to: .childProtection)) }
    }

    @Test func aSecondSwitchExtendsTheFirstInsteadOfStacking() throws {
        let (first, _) = try start(request(minutes: 30))
        let later = now.addingTimeInterval(300)
        // Ten more minutes from now ends before the first switch does: nothing is shortened.
        let shorter = try RetaskingPolicy.plan(request(minutes: 10), registryPurpose: .trafficEnforcement, active: first,
                                               ownSettings: CameraAnalyticsSettings(rules: RetaskingPolicy.crimeWatchRules), now: later)
        #expect(shorter == .extend(first, previousUntil: first.until))
        let longer = try RetaskingPolicy.plan(request(minutes: 60, reason: "suspect still around"), registryPurpose: .trafficEnforcement,
                                              active: first, ownSettings: CameraAnalyticsSettings(rules: RetaskingPolicy.crimeWatchRules), now: later)
        guard case .extend(let extended, let previous) = longer else { Issue.record("not an extension: \(longer)"); return }
        #expect(extended.id == first.id && previous == first.until)
        #expect(extended.until == later.addingTimeInterval(3_600))
        #expect(extended.savedSettings == ownSettings, "the camera's own settings, not the crime-watch ones, are kept to restore")
        #expect(extended.reason == first.reason && extended.from == first.from)
    }

    @Test func anExtensionHoldsEvenWhenAReImportChangedTheRegistryPurpose() throws {
        let (first, _) = try start(request())
        let plan = try RetaskingPolicy.plan(request(), registryPurpose: .other("기타"), active: first, ownSettings: ownSettings, now: now)
        guard case .extend = plan else { Issue.record("expected an extension, got \(plan)"); return }
    }

    @Test func theEffectivePurposeIsTheRetaskingsOnlyWhileItLasts() throws {
        var (retasking, _) = try start(request(minutes: 5))
        func purpose(_ seconds: TimeInterval) -> CameraPurpose {
            Retasking.effectivePurpose(registry: .trafficEnforcement, retasking: retasking, at: now.addingTimeInterval(seconds))
        }
        #expect(purpose(-1) == .trafficEnforcement)
        #expect(purpose(0) == .crimePrevention && purpose(299) == .crimePrevention)
        #expect(purpose(300) == .trafficEnforcement, "it ends at `until` even before the sweep reverts it")
        #expect(Retasking.effectivePurpose(registry: .trafficEnforcement, retasking: nil, at: now) == .trafficEnforcement)
        retasking.revertedAt = now.addingTimeInterval(60)
        #expect(purpose(120) == .trafficEnforcement)
        #expect(retasking.wallPlacement == .crimeWatch(until: retasking.until))
    }

    @Test func theSweepRevertsOnlyWhatIsDueEarliestFirst() throws {
        let (a, _) = try start(request(minutes: 10))
        var b = try start(request(minutes: 5)).0
        b.id = UUID()
        var reverted = try start(request(minutes: 5)).0
        reverted.revertedAt = now.addingTimeInterval(60)
        let due = RetaskingPolicy.due([a, b, reverted], at: now.addingTimeInterval(700))
        #expect(due.map(\.id) == [b.id, a.id])
        #expect(RetaskingPolicy.due([a, b], at: now.addingTimeInterval(299)).isEmpty)
    }
}
