import CityWatchDomain
import Foundation
import Testing

@Suite("Access rules")
struct AccessTests {
    @Test func fifthSlotLocksTheKeyAndLockoutDoubles() {
        var entry = LoginThrottle.Entry()
        for second in 0..<4 {
            #expect(entry.wait(now: Double(second)) == nil)
            entry.charge(.perUser, now: Double(second))
        }
        #expect(entry.wait(now: 4) == nil)
        entry.charge(.perUser, now: 4)  // the fifth attempt goes ahead; the sixth waits
        #expect(entry.wait(now: 4) == 30)
        #expect(entry.wait(now: 10) == 24)
        #expect(entry.wait(now: 34) == nil)
        entry.charge(.perUser, now: 40)
        #expect(entry.wait(now: 40) == 60)
        for _ in 0..<20 { entry.charge(.perUser, now: 100) }
        #expect(entry.wait(now: 100) == 900, "the lockout stops doubling at the maximum")
    }

    @Test func aSuccessRefundsItsSlotAndTheLockItAloneCaused() {
        let policy = LoginThrottle.Policy(maxFailures: 3, window: 900, baseLockout: 30, maxLockout: 900)
        var address = LoginThrottle.Entry()
        address.charge(policy, now: 0)
        address.charge(policy, now: 1)
        address.charge(policy, now: 2)  // this one is a good password
        #expect(address.wait(now: 2) == 30)
        address.refund(policy)
        #expect(address.wait(now: 2) == nil && address.failures == 2)
        address.charge(policy, now: 3)
        #expect(address.wait(now: 3) == 30, "the two earlier failures still count")
    }

    @Test func failuresOutsideTheWindowStartAfreshAndStaleEntriesAreForgotten() {
        var entry = LoginThrottle.Entry()
        for i in 0..<4 { entry.charge(.perUser, now: Double(i)) }
        #expect(!entry.isStale(.perUser, now: 500))
        #expect(entry.isStale(.perUser, now: 1_000))
        entry.charge(.perUser, now: 2_000)
        #expect(entry.failures == 1 && entry.wait(now: 2_000) == nil)
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

@Suite("Client addresses behind proxies")
struct AddressRangeTests {
    @Test func rangesMatchByPrefixForBothFamilies() throws {
        let lan = try #require(AddressRange("10.1.0.0/16"))
        #expect(lan.contains("10.1.255.7") && !lan.contains("10.2.0.1") && !lan.contains("fd00::1"))
        #expect(lan.contains("::ffff:10.1.2.3"), "an IPv4 peer reported in IPv6 form")
        let odd = try #require(AddressRange("192.168.1.128/25"))
        #expect(odd.contains("192.168.1.200") && !odd.contains("192.168.1.127"))
        let v6 = try #require(AddressRange("fd00:1::/32"))
        #expect(v6.contains("fd00:1:0:0::5") && !v6.contains("fd00:2::5"))
        #expect(AddressRange("0.0.0.0/0")?.contains("8.8.8.8") == true)
        for bad in ["10.0.0.256", "10.0.0.0/33", "::1/129", "proxy.local", "", "10.0.0.1/x", "1/2/3"] {
            #expect(AddressRange(bad) == nil, "\(bad)")
        }
    }

    @Test func forwardedForIsBelievedOnlyFromATrustedProxyAndOnlyItsRightmostStranger() throws {
        let proxies = [try #require(AddressRange("127.0.0.1")), try #require(AddressRange("10.0.0.0/24"))]
        // From a stranger, the header is the client's own word: ignored.
        #expect(AddressRange.client(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trusted: proxies) == "203.0.113.9")
        // From the front: the address it appended.
        #expect(AddressRange.client(peer: "127.0.0.1", forwardedFor: ["198.51.100.7"], trusted: proxies) == "198.51.100.7")
        // A client that writes its own header first cannot pick its address: the right-most
        // address not of a proxy is who reached the first proxy.
        #expect(AddressRange.client(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.7, 10.0.0.3"], trusted: proxies) == "198.51.100.7")
        #expect(AddressRange.client(peer: "127.0.0.1", forwardedFor: ["6.6.6.6", "198.51.100.7"], trusted: proxies) == "198.51.100.7")
        #expect(AddressRange.client(peer: "127.0.0.1", forwardedFor: ["junk, 198.51.100.7"], trusted: proxies) == "198.51.100.7")
        #expect(AddressRange.client(peer: "127.0.0.1", forwardedFor: ["198.51.100.7, junk"], trusted: proxies) == "127.0.0.1")
        #expect(AddressRange.client(peer: "127.0.0.1", forwardedFor: [], trusted: proxies) == "127.0.0.1")
        #expect(AddressRange.client(peer: "127.0.0.1", forwardedFor: ["1.2.3.4"], trusted: []) == "127.0.0.1")
    }
}

@Suite("Refusal ledger")
struct RefusalLedgerTests {
    @Test func firstOfEachKindIsAuditedAndRepeatsAreSummarisedWhenTheWindowEnds() {
        var ledger = RefusalLedger()
        #expect(ledger.refused(channel: "bell", client: "a", kind: "badSignature", now: 0) == .audit)
        #expect(ledger.refused(channel: "bell", client: "a", kind: "badSignature", now: 1) == .counted)
        #expect(ledger.refused(channel: "bell", client: "a", kind: "unknownBell", now: 2) == .audit)
        #expect(ledger.refused(channel: "bell", client: "b", kind: "badSignature", now: 3) == .audit)
        #expect(ledger.refused(channel: "share", client: "a", kind: "badSignature", now: 3) == .audit)
        #expect(ledger.closeWindows(now: 30).isEmpty, "no window has ended")
        let closed = ledger.closeWindows(now: 61)
        #expect(closed.map { "\($0.channel) \($0.client) \($0.kind) \($0.first)–\($0.last) ×\($0.refusals)" } == ["bell a badSignature 0.0–1.0 ×2"],
                "windows of one refusal were audited whole and need no summary")
        #expect(ledger.refused(channel: "bell", client: "a", kind: "badSignature", now: 62) == .audit, "a new window")
    }

    @Test func aWindowReopenedBeforeCollectionKeepsItsSummary() {
        var ledger = RefusalLedger()
        for second in 0..<3 { _ = ledger.refused(channel: "login", client: "a", kind: "throttled", now: Double(second)) }
        #expect(ledger.refused(channel: "login", client: "a", kind: "throttled", now: 100) == .audit)
        #expect(ledger.closeWindows(now: 100).map(\.refusals) == [3])
        #expect(ledger.closeWindows(now: 100, force: true).isEmpty, "the new window holds one refusal, already audited")
    }

    @Test func aClientOverTheLimitIsHeldOffAndLetGoAfterTheLockout() {
        var ledger = RefusalLedger(policy: .init(window: 60, throttleAfter: 3, lockout: 20))
        for second in 0..<3 { _ = ledger.refused(channel: "share", client: "a", kind: "unknown", now: Double(second)) }
        #expect(ledger.retryAfter(client: "a", now: 3) == nil)
        _ = ledger.refused(channel: "platform", client: "a", kind: "unknown secret", now: 4)
        #expect(ledger.retryAfter(client: "a", now: 5) == 19, "counted over every channel")
        #expect(ledger.retryAfter(client: "b", now: 5) == nil)
        #expect(ledger.retryAfter(client: "a", now: 24) == nil)
    }

    @Test func memoryStaysBoundedUnderASprayFromManyAddresses() {
        var ledger = RefusalLedger(policy: .init(capacity: 100))
        var summarised = 0
        for i in 0..<1_000 {
            _ = ledger.refused(channel: "bell", client: "ip\(i)", kind: "unknownBell", now: Double(i) / 100)
            _ = ledger.refused(channel: "bell", client: "ip\(i)", kind: "unknownBell", now: Double(i) / 100)
            if i % 50 == 0 { summarised += ledger.closeWindows(now: Double(i) / 100).count }
        }
        summarised += ledger.closeWindows(now: 10, force: true).count
        #expect(summarised == 1_000, "every window's repeat is summarised, early or at the end")
    }
}
