import CityWatchDomain
import Foundation
import Testing

/// When alarms of one camera and rule stop being raised one by one and become a storm.
@Suite("Alarm storms")
struct AlarmStormPolicyTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func upToTheThresholdInTheWindowEachAlarmIsRaisedThenTheRestStorm() {
        var policy = AlarmStormPolicy(threshold: 5, window: 600)
        let decisions = (0..<12).map { policy.decide(key: "cam:rule", at: t0 + Double($0) * 10) }
        #expect(decisions == Array(repeating: .raise, count: 5) + Array(repeating: .storm, count: 7))
    }

    @Test func keysStormOnTheirOwn() {
        var policy = AlarmStormPolicy(threshold: 2, window: 600)
        #expect((0..<3).map { policy.decide(key: "a", at: t0 + Double($0)) } == [.raise, .raise, .storm])
        #expect(policy.decide(key: "b", at: t0 + 4) == .raise)
        #expect(policy.decide(key: "a", at: t0 + 5) == .storm)
    }

    @Test func alarmsSpreadWiderThanTheWindowNeverStorm() {
        var policy = AlarmStormPolicy(threshold: 3, window: 600)
        #expect((0..<10).map { policy.decide(key: "k", at: t0 + Double($0) * 201) }.allSatisfy { $0 == .raise })
    }

    @Test func aStormEndsWhenTheRateFallsBelowTheThreshold() {
        var policy = AlarmStormPolicy(threshold: 3, window: 60)
        let storm = (0..<6).map { policy.decide(key: "k", at: t0 + Double($0)) }
        #expect(storm.suffix(3).allSatisfy { $0 == .storm })
        // Quiet for longer than the window: raised one by one again, up to the threshold.
        let after = (0..<4).map { policy.decide(key: "k", at: t0 + 200 + Double($0)) }
        #expect(after == [.raise, .raise, .raise, .storm])
    }

    @Test func aStormGrowsItsCountAndSpan() {
        let storm = AlarmStorm(key: "k", firstAt: t0).adding(at: t0 + 30).adding(at: t0 + 10)
        #expect(storm.count == 3 && storm.firstAt == t0 && storm.lastAt == t0 + 30)
    }
}
