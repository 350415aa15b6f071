import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor

/// Two nodes of a cluster on one PostgreSQL database: what one node's alarm center publishes
/// reaches the other's consoles through LISTEN/NOTIFY, once, and never comes back to itself.
@Suite("Cluster alarm relay")
struct ClusterAlarmRelayTests {
    @Test(.timeLimit(.minutes(1)))
    func aBellAtOneNodeReachesTheConsolesOfTheOther() async throws {
        try await withTwoNodes { first, second, url in
            try await Self.relay(between: [first, second], url: url)
        }
    }

    static func relay(between nodes: [Application], url: String) async throws {
        let (first, second) = (nodes[0], nodes[1])
        let relays = nodes.map { node in
            ClusterAlarmRelay(center: node.cityWatch.alarms, channel: ClusterChannel(name: ClusterAlarmRelay.channelName, url: url), database: { node.db })
        }
        try await whileRunning(relays) {
            var atSecond = second.cityWatch.alarms.subscribe().makeAsyncIterator()
            var atFirst = first.cityWatch.alarms.subscribe().makeAsyncIterator()
            let service = IncidentService(database: first.db, center: first.cityWatch.alarms)
            // The listeners connect in the background: raise bells until the second node hears one.
            let camera = UUID()
            let raising = Task {
                while !Task.isCancelled {
                    try await service.raise(Alarm(source: .bell, sourceRef: "B-1", priority: .critical, title: "비상벨 · 정문", cameraIDs: [camera],
                                                  raisedAt: Date(), toWall: true))
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
            var heard: Alarm?
            var wall: AlarmCenter.WallRequest?
            while heard == nil || wall == nil, let message = await atSecond.next() {
                switch message {
                case .alarmRaised(let alarm): heard = heard ?? alarm
                case .wall(let request): wall = wall ?? request
                default: break
                }
            }
            raising.cancel()
            _ = try? await raising.value
            let heardID = try #require(heard?.id)
            let stored = try #require(try await IncidentRepository(database: first.db).alarm(heardID))
            #expect(heard == stored, "the other node reads the alarm from the shared store")
            #expect(wall?.cameraIDs == [camera] && wall?.reason == "비상벨 · 정문")

            // An incident opened at the second node reaches the first; the second hears its own once.
            let ownFeed = second.cityWatch.alarms.subscribe()
            let counting = Task {
                var copies = 0
                for await message in ownFeed {
                    if case .incidentOpened = message { copies += 1 }
                }
                return copies
            }
            let incident = try await IncidentService(database: second.db, center: second.cityWatch.alarms)
                .open(.init(kind: .childSafety, title: "아동 실종", occurredAt: Date()), by: "kim")
            var opened: Incident?
            while opened == nil, let message = await atFirst.next() {
                if case .incidentOpened(let value) = message { opened = value }
            }
            #expect(opened?.id == incident.id && opened?.number == incident.number)
            // Time for a copy to come back through the channel, had it been let through.
            try await Task.sleep(for: .seconds(1))
            counting.cancel()
            let ownCopies = await counting.value
            #expect(ownCopies == 1, "a node's own message is not delivered again from the channel")
        }
    }
}
