/// A binary min-heap of (seconds, junction) for Dijkstra's algorithm.
///
/// Entries are never updated in place: a junction reached sooner is pushed again and the stale
/// entry is skipped when popped, which is simpler and, on road networks (few roads per
/// junction), as fast as a decrease-key heap.
struct ArrivalQueue {
    private var seconds: [Double] = []
    private var junctions: [Int] = []

    var isEmpty: Bool { seconds.isEmpty }

    init(capacity: Int = 0) {
        seconds.reserveCapacity(capacity)
        junctions.reserveCapacity(capacity)
    }

    mutating func push(_ time: Double, _ junction: Int) {
        seconds.append(time)
        junctions.append(junction)
        var child = seconds.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard seconds[child] < seconds[parent] else { break }
            seconds.swapAt(child, parent)
            junctions.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry.
    mutating func pop() -> (time: Double, junction: Int)? {
        guard let top = seconds.first else { return nil }
        let junction = junctions[0]
        let lastTime = seconds.removeLast(), lastJunction = junctions.removeLast()
        if !seconds.isEmpty {
            seconds[0] = lastTime
            junctions[0] = lastJunction
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < seconds.count, seconds[left] < seconds[smallest] { smallest = left }
                if right < seconds.count, seconds[right] < seconds[smallest] { smallest = right }
                if smallest == parent { break }
                seconds.swapAt(parent, smallest)
                junctions.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (top, junction)
    }
}
