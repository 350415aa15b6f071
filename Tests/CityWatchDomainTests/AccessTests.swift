import CityWatchDomain
import Foundation
import Testing

@Suite("Access rules")
struct AccessTests {
    @Test func fifthFailureLocksTheUserAndLockoutDoubles() {
        var throttle = LoginThrottle()
        for second in 0..<4 {
            throttle.recordFailure(user: "kim", address: "10.0.0.1", now: Double(second))
            #expect(throttle.retryAfter(user: "kim", address: "10.0.0.1", now: Double(second)) == nil)
        }
        throttle.recordFailure(user: "kim", address: "10.0.0.1", now: 4)
        #expect(throttle.retryAfter(user: "kim", address: "10.0.0.1", now: 4) == 30)
        #expect(throttle.retryAfter(user: "KIM", address: "10.9.9.9", now: 10) == 24)
        #expect(throttle.retryAfter(user: "lee", address: "10.0.0.1", now: 10) == nil)
        #expect(throttle.retryAfter(user: "kim", address: "10.0.0.1", now: 34) == nil)
        throttle.recordFailure(user: "kim", address: "10.0.0.1", now: 40)
        #expect(throttle.retryAfter(user: "kim", address: "10.0.0.1", now: 40) == 60)
    }

    @Test func successClearsTheUserButNotTheAddress() {
        var throttle = LoginThrottle(userPolicy: .perUser, addressPolicy: .init(maxFailures: 3, window: 900, baseLockout: 30, maxLockout: 900))
        for i in 0..<2 { throttle.recordFailure(user: "kim", address: "a", now: Double(i)) }
        throttle.recordSuccess(user: "kim", now: 3)
        throttle.recordFailure(user: "park", address: "a", now: 4)
        #expect(throttle.retryAfter(user: "someone", address: "a", now: 5) == 29)
        #expect(throttle.retryAfter(user: "kim", address: "b", now: 5) == nil)
    }

    @Test func failuresOutsideTheWindowStartAfresh() {
        var throttle = LoginThrottle()
        for i in 0..<4 { throttle.recordFailure(user: "kim", address: "a", now: Double(i)) }
        throttle.recordFailure(user: "kim", address: "a", now: 2_000)
        #expect(throttle.retryAfter(user: "kim", address: "a", now: 2_000) == nil)
    }

    @Test func memoryStaysBoundedUnderASprayFromManyAddresses() {
        var throttle = LoginThrottle(capacity: 1_000)
        for i in 0..<5_000 { throttle.recordFailure(user: "u\(i)", address: "ip\(i)", now: Double(i) / 100) }
        // The last address is still remembered; nothing crashed and old keys were dropped.
        #expect(throttle.retryAfter(user: "u4999", address: "ip4999", now: 50) == nil)
    }

    @Test func passwordRulesNameWhatIsWrong() {
        #expect(throws: PasswordPolicy.Problem.tooShort(minimum: 12)) { try PasswordPolicy.check("short", userName: "kim") }
        #expect(throws: PasswordPolicy.Problem.containsUserName) { try PasswordPolicy.check("my-name-is-operator1", userName: "operator1") }
        #expect(throws: PasswordPolicy.Problem.tooFewDistinctCharacters) { try PasswordPolicy.check("aaaaaaaaaaaaab", userName: "kim") }
        #expect(throws: PasswordPolicy.Problem.sameAsCurrent) { try PasswordPolicy.check("correct horse battery", userName: "kim", current: "correct horse battery") }
        #expect(throws: Never.self) { try PasswordPolicy.check("correct horse battery", userName: "kim") }
    }

    @Test func generatedPasswordsAreLongAndUnambiguous() {
        let passwords = (0..<200).map { _ in PasswordPolicy.generate() }
        #expect(Set(passwords).count == 200)
        #expect(passwords.allSatisfy { $0.count == 20 && !$0.contains { "0O1lI".contains($0) } })
        #expect(passwords.allSatisfy { (try? PasswordPolicy.check($0, userName: "admin")) != nil })
    }

    @Test func groupRuleMatchesEveryGivenPartAndEmptyRuleNothing() throws {
        let inside = GeoPoint(latitude: 37.50, longitude: 127.03)
        let outside = GeoPoint(latitude: 37.60, longitude: 127.03)
        let camera = UUID()
        let schools = CameraGroupRule(purposes: ["childProtection"], bbox: try GeoBoundingBox(south: 37.45, west: 127.0, north: 37.55, east: 127.1))
        #expect(schools.contains(cameraID: camera, purpose: .childProtection, location: inside))
        #expect(!schools.contains(cameraID: camera, purpose: .childProtection, location: outside))
        #expect(!schools.contains(cameraID: camera, purpose: .crimePrevention, location: inside))
        #expect(!CameraGroupRule().contains(cameraID: camera, purpose: .crimePrevention, location: inside))
        #expect(CameraGroupRule(cameraIds: [camera]).contains(cameraID: camera, purpose: .other("x"), location: outside))
        #expect(throws: CameraGroupRule.Problem.empty) { try CameraGroupRule().validate() }
        #expect(throws: CameraGroupRule.Problem.unknownPurpose("cats")) { try CameraGroupRule(purposes: ["cats"]).validate() }
    }

    @Test func rolesReadFromTheirUsualSpellings() {
        #expect(Role(name: "privacy-officer") == .privacyOfficer)
        #expect(Role(name: "Privacy_Officer") == .privacyOfficer)
        #expect(Role(name: "OPERATOR") == .operator)
        #expect(Role(name: "root") == nil)
    }
}
