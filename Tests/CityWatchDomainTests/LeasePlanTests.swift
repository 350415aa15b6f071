import CityWatchDomain
import Foundation
import Testing

/// How a node decides which cameras to claim and which to hand over.
@Suite("Lease plan")
struct LeasePlanTests {
    /// `count` cameras in groups of `perGroup` ("school 0", "school 1", …).
    func cameras(_ count: Int, perGroup: Int = 4) -> [(camera: UUID, group: String)] {
        (0..<count).map { (camera: UUID(), group: "school \($0 / perGroup)") }
    }

    func node(_ name: String, capacity: Int = 64, draining: Bool = false, holds: Int = 0) -> LeasePlan.Node {
        LeasePlan.Node(name: name, capacity: capacity, draining: draining, holds: holds)
    }

    @Test func sharesFollowCapacityAndNeverExceedIt() {
        let nodes = [node("a", capacity: 10), node("b", capacity: 30), node("c", capacity: 0), node("d", draining: true)]
        #expect(LeasePlan.share(of: nodes[0], among: nodes, total: 20) == 5)
        #expect(LeasePlan.share(of: nodes[1], among: nodes, total: 20) == 15)
        #expect(LeasePlan.share(of: nodes[2], among: nodes, total: 20) == 0)
        #expect(LeasePlan.share(of: nodes[3], among: nodes, total: 20) == 0)
        // More cameras than the cluster holds: each node takes its capacity.
        #expect(LeasePlan.share(of: nodes[0], among: nodes, total: 100) == 10)
    }

    @Test func nodesStartingTogetherSpreadEveryGroup() {
        let all = cameras(12)
        var leases: [UUID: String] = [:]
        let nodes = ["a", "b", "c"].map { node($0) }
        for me in ["a", "b", "c"] {
            let plan = LeasePlan.make(me: me, nodes: nodes, cameras: all, leases: leases, releaseAllowance: 0)
            #expect(plan.claim.count == 4 && plan.release.isEmpty)
            for camera in plan.claim { leases[camera] = me }
        }
        #expect(leases.count == 12)
        // No node holds more than two of one group of four: one death never takes most of a school zone.
        for me in ["a", "b", "c"] {
            let groups = Dictionary(grouping: all.filter { leases[$0.camera] == me }, by: \.group).values.map(\.count)
            #expect(groups.allSatisfy { $0 <= 2 }, "\(me): \(groups)")
        }
    }

    @Test func aHealthyHolderKeepsItsCamerasUnlessANodeNeedsSome() {
        let all = cameras(12)
        let leases = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.camera, $0 < 6 ? "a" : "b") })
        // Two nodes, six each: nothing moves.
        let settled = LeasePlan.make(me: "a", nodes: [node("a", holds: 6), node("b", holds: 6)], cameras: all, leases: leases, releaseAllowance: 10)
        #expect(settled == LeasePlan())
        // A third joins with nothing: each gives up to its allowance, never below its share.
        let joined = [node("a", holds: 6), node("b", holds: 6), node("c")]
        let limited = LeasePlan.make(me: "a", nodes: joined, cameras: all, leases: leases, releaseAllowance: 1)
        #expect(limited.release.count == 1 && limited.claim.isEmpty)
        let generous = LeasePlan.make(me: "a", nodes: joined, cameras: all, leases: leases, releaseAllowance: 10)
        #expect(generous.release.count == 2)
        #expect(Set(generous.release).isSubset(of: Set(all.prefix(6).map(\.camera))))
    }

    @Test func aDrainingNodeLetsGoOfEverythingAndADeadNodesCamerasAreClaimed() {
        let all = cameras(8)
        let leases = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.camera, $0 < 4 ? "a" : "b") })
        let draining = LeasePlan.make(me: "a", nodes: [node("a", draining: true, holds: 4), node("b", holds: 4)], cameras: all,
                                      leases: leases, releaseAllowance: 0)
        #expect(Set(draining.release) == Set(all.prefix(4).map(\.camera)))
        // The last node draining has nobody to hand over to: it keeps recording.
        let last = LeasePlan.make(me: "a", nodes: [node("a", draining: true, holds: 4)], cameras: Array(all.prefix(4)),
                                  leases: leases.filter { $0.value == "a" }, releaseAllowance: 0)
        #expect(last == LeasePlan())
        // b died: its leases ran out, so they are not in the live leases; a claims them all.
        let alone = LeasePlan.make(me: "a", nodes: [node("a", holds: 4)], cameras: all, leases: leases.filter { $0.value == "a" },
                                   releaseAllowance: 0)
        #expect(Set(alone.claim) == Set(all.suffix(4).map(\.camera)))
    }

    /// A restarted node is live (it beats) some time before it claims (its recorder reconciles
    /// the disk first): what the others let go of meanwhile lies free, unrecorded. They let go of
    /// no more until the free cameras are taken.
    @Test func nothingIsLetGoOfWhileACameraLiesFree() {
        let all = cameras(12)
        var leases = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.camera, $0 < 6 ? "a" : "b") })
        leases[all[0].camera] = nil
        let joined = [node("a", holds: 5), node("b", holds: 6), node("c")]
        #expect(LeasePlan.make(me: "b", nodes: joined, cameras: all, leases: leases, releaseAllowance: 10) == LeasePlan())
        #expect(LeasePlan.make(me: "a", nodes: joined, cameras: all, leases: leases, releaseAllowance: 10) == LeasePlan())
        let draining = [node("a", holds: 5), node("b", draining: true, holds: 6), node("c")]
        #expect(LeasePlan.make(me: "b", nodes: draining, cameras: all, leases: leases, releaseAllowance: 0) == LeasePlan())
        // The joined node takes the free one first; then the others let go again.
        let plan = LeasePlan.make(me: "c", nodes: joined, cameras: all, leases: leases, releaseAllowance: 0)
        #expect(plan.claim == [all[0].camera] && plan.release.isEmpty)
        leases[all[0].camera] = "c"
        let after = [node("a", holds: 5), node("b", holds: 6), node("c", holds: 1)]
        #expect(LeasePlan.make(me: "b", nodes: after, cameras: all, leases: leases, releaseAllowance: 10).release.count == 2)
    }

    /// A node still starting (its recorder reconciling its disk) counts in the shares but is
    /// handed nothing until it says it can claim.
    @Test func aNodeStillStartingIsHandedNothing() {
        let all = cameras(12)
        let leases = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.camera, $0 < 6 ? "a" : "b") })
        let starting = [node("a", holds: 6), node("b", holds: 6), LeasePlan.Node(name: "c", capacity: 64, draining: false, holds: 0, starting: true)]
        #expect(LeasePlan.make(me: "a", nodes: starting, cameras: all, leases: leases, releaseAllowance: 10) == LeasePlan())
        #expect(LeasePlan.share(of: starting[0], among: starting, total: 12) == 4)
        let started = [node("a", holds: 6), node("b", holds: 6), node("c")]
        #expect(LeasePlan.make(me: "a", nodes: started, cameras: all, leases: leases, releaseAllowance: 10).release.count == 2)
        // Nodes starting together: each claims its share of the free cameras once it can.
        let together = [node("a"), LeasePlan.Node(name: "b", capacity: 64, draining: false, holds: 0, starting: true)]
        #expect(LeasePlan.make(me: "a", nodes: together, cameras: all, leases: [:], releaseAllowance: 0).claim.count == 6)
    }

    @Test func aNodeNotInTheLiveListDoesNothing() {
        #expect(LeasePlan.make(me: "x", nodes: [node("a")], cameras: cameras(4), leases: [:], releaseAllowance: 5) == LeasePlan())
    }
}
