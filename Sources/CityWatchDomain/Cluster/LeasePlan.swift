import Foundation

/// What one node of a cluster does with the camera leases on one round: which free cameras it
/// claims and which of its own it lets go of. Every node works out its own part from the same
/// picture; the store settles races (a camera claimed by two nodes at once goes to one).
///
/// - Shares follow capacity: a node's share is its capacity's part of the cameras, rounded up
///   and never above its capacity; a draining node's, or one of capacity 0, is nothing.
/// - A node under its share claims free cameras (no live lease), first from the groups it holds
///   fewest of, so one node's death takes as little of any group as it can.
/// - A camera does not move while its holder is healthy, except when another node is under its
///   share and this one is over (a node joined, or this one drains): then this node lets go of
///   the excess, from the groups it holds most of — no more than `releaseAllowance` (the rate at
///   which cameras may move), all at once only when draining. A draining node that no other node
///   can relieve keeps recording. Nothing is let go of while any camera is free: the node under
///   its share claims those first, and one that claims nothing yet must not be handed more. Nor
///   to a node still starting (it said it cannot claim yet): only what it would claim moves.
public struct LeasePlan: Sendable, Equatable {
    public var claim: [UUID] = []
    public var release: [UUID] = []

    public init(claim: [UUID] = [], release: [UUID] = []) {
        self.claim = claim
        self.release = release
    }

    /// A live node as the plan sees it.
    public struct Node: Sendable, Equatable {
        public var name: String
        public var capacity: Int
        public var draining: Bool
        /// Cameras it holds a live lease on.
        public var holds: Int
        /// Live but not yet able to claim (starting): it counts in the shares, and nobody hands
        /// it cameras yet.
        public var starting: Bool

        public init(name: String, capacity: Int, draining: Bool, holds: Int, starting: Bool = false) {
            self.name = name
            self.capacity = capacity
            self.draining = draining
            self.holds = holds
            self.starting = starting
        }
    }

    /// A node's share of `total` cameras among `nodes`.
    public static func share(of node: Node, among nodes: [Node], total: Int) -> Int {
        guard !node.draining, node.capacity > 0 else { return 0 }
        let capacity = nodes.filter { !$0.draining && $0.capacity > 0 }.reduce(0) { $0 + $1.capacity }
        guard capacity > 0 else { return 0 }
        let proportional = (total * node.capacity + capacity - 1) / capacity
        return min(node.capacity, proportional)
    }

    /// The plan for node `me` (one of `nodes`, the live ones), given every camera to record with
    /// its group, the live leases (camera → holder) and how many cameras it may let go of now.
    public static func make(me: String, nodes: [Node], cameras: [(camera: UUID, group: String)], leases: [UUID: String],
                            releaseAllowance: Int) -> LeasePlan {
        guard let node = nodes.first(where: { $0.name == me }) else { return LeasePlan() }
        let recordable = Set(cameras.map(\.camera))
        let mine = cameras.filter { leases[$0.camera] == me }
        let target = share(of: node, among: nodes, total: recordable.count)
        var perGroup: [String: Int] = [:]
        for camera in mine { perGroup[camera.group, default: 0] += 1 }
        var plan = LeasePlan()
        if mine.count < target {
            var free = cameras.filter { leases[$0.camera] == nil }
            var taken = 0
            // One at a time from the group held least, so a group is spread even when all is free.
            while taken < target - mine.count, !free.isEmpty {
                let index = free.indices.min { a, b in
                    let (ga, gb) = (perGroup[free[a].group, default: 0], perGroup[free[b].group, default: 0])
                    return ga != gb ? ga < gb : rank(free[a].camera, me) < rank(free[b].camera, me)
                }!
                let chosen = free.remove(at: index)
                perGroup[chosen.group, default: 0] += 1
                plan.claim.append(chosen.camera)
                taken += 1
            }
        } else if mine.count > target {
            let someoneWants = nodes.contains { other in
                other.name != me && !other.starting && other.holds < share(of: other, among: nodes, total: recordable.count)
            }
            // Nobody to take them (the last node drains): recording goes on here. Nor while a
            // camera is free: the node that wants cameras takes the free ones first, and one that
            // joined but claims nothing yet (a restarted node reconciling its disk) would leave
            // every camera let go of meanwhile unrecorded.
            guard someoneWants, !cameras.contains(where: { leases[$0.camera] == nil }) else { return plan }
            let limit = node.draining ? mine.count : min(mine.count - target, max(0, releaseAllowance))
            var held = mine
            for _ in 0..<limit {
                let index = held.indices.max { a, b in
                    let (ga, gb) = (perGroup[held[a].group, default: 0], perGroup[held[b].group, default: 0])
                    return ga != gb ? ga < gb : rank(held[a].camera, me) > rank(held[b].camera, me)
                }!
                let chosen = held.remove(at: index)
                perGroup[chosen.group, default: 0] -= 1
                plan.release.append(chosen.camera)
            }
        }
        return plan
    }

    /// A stable pseudo-random order of cameras per node (rendezvous hashing): nodes prefer
    /// different cameras, so fewer claims collide.
    static func rank(_ camera: UUID, _ node: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(camera.uuidString.utf8) + Array(node.utf8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
