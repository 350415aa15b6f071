import CityWatchMedia
import Foundation
import Testing

@Suite("Camera supervisor decisions")
struct SupervisorStateMachineTests {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)
    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func healths(_ actions: [SupervisorStateMachine.Action]) -> [CameraHealth] {
        actions.compactMap { if case .health(_, let to, _, _) = $0 { return to } else { return nil } }
    }

    @Test func startLaunchesAndFirstVideoGoesOnline() {
        var machine = SupervisorStateMachine()
        let start = machine.start(now: Self.at(0))
        #expect(start.contains(.launch(generation: 1)))
        #expect(Self.healths(start) == [.connecting])
        #expect(Self.healths(machine.dataReceived(generation: 1, now: Self.at(1))) == [.online])
        #expect(machine.dataReceived(generation: 1, now: Self.at(2)).isEmpty)
    }

    @Test func exitWhileRunningSchedulesBackoffDoublingToThirtySeconds() {
        var machine = SupervisorStateMachine()
        _ = machine.start(now: Self.at(0))
        var now = 0.0
        var delays: [Double] = []
        var generation = 1
        for _ in 0..<7 {
            now += 0.5
            let exited = machine.processExited(generation: generation, reason: "exit 1", now: Self.at(now))
            #expect(Self.healths(exited) == [.offline])
            guard case .wake(let until)? = exited.last else { Issue.record("no wake"); return }
            delays.append(until.timeIntervalSince(Self.at(now)))
            now = until.timeIntervalSince(Self.t0)
            let restart = machine.tick(now: Self.at(now))
            #expect(Self.healths(restart) == [.reconnecting])
            generation += 1
            #expect(restart.contains(.launch(generation: generation)))
        }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30])
    }

    @Test func tickBeforeTheBackoffEndsOnlyWaits() {
        var machine = SupervisorStateMachine()
        _ = machine.start(now: Self.at(0))
        _ = machine.processExited(generation: 1, reason: "exit", now: Self.at(1))
        #expect(machine.tick(now: Self.at(1.5)) == [.wake(at: Self.at(2))])
    }

    @Test func noVideoForTheStallTimeoutMarksStalledAndTerminates() {
        var machine = SupervisorStateMachine(timing: .init(stallTimeout: 10))
        _ = machine.start(now: Self.at(0))
        _ = machine.dataReceived(generation: 1, now: Self.at(1))
        #expect(machine.tick(now: Self.at(5)) == [.wake(at: Self.at(11))])
        let stalled = machine.tick(now: Self.at(11))
        #expect(Self.healths(stalled) == [.stalled])
        #expect(stalled.contains(.terminate(generation: 1, reason: "no video for 10 s")))
    }

    @Test func cameraThatNeverAnswersIsTerminatedAndRetried() {
        var machine = SupervisorStateMachine(timing: .init(stallTimeout: 10))
        _ = machine.start(now: Self.at(0))
        let quiet = machine.tick(now: Self.at(10))
        #expect(quiet == [.terminate(generation: 1, reason: "no video for 10 s")])
        #expect(Self.healths(machine.processExited(generation: 1, reason: "terminated", now: Self.at(10.1))) == [.offline])
    }

    @Test func outageIsRecordedAsAGapWhenVideoReturns() {
        var machine = SupervisorStateMachine()
        _ = machine.start(now: Self.at(0))
        _ = machine.dataReceived(generation: 1, now: Self.at(1))
        _ = machine.dataReceived(generation: 1, now: Self.at(20))
        _ = machine.processExited(generation: 1, reason: "source gone", now: Self.at(21))
        _ = machine.tick(now: Self.at(22))
        let back = machine.dataReceived(generation: 2, now: Self.at(25))
        #expect(back.contains(.gap(from: Self.at(20), to: Self.at(25))))
        #expect(Self.healths(back) == [.online])
    }

    @Test func eventsOfAnOldProcessAreIgnored() {
        var machine = SupervisorStateMachine()
        _ = machine.start(now: Self.at(0))
        _ = machine.processExited(generation: 1, reason: "x", now: Self.at(1))
        _ = machine.tick(now: Self.at(2))
        #expect(machine.dataReceived(generation: 1, now: Self.at(3)).isEmpty)
        #expect(machine.processExited(generation: 1, reason: "late", now: Self.at(3)).isEmpty)
    }

    @Test func healthyStreamResetsTheBackoff() {
        var machine = SupervisorStateMachine(timing: .init(healthyAfter: 30))
        _ = machine.start(now: Self.at(0))
        _ = machine.processExited(generation: 1, reason: "x", now: Self.at(1))
        _ = machine.tick(now: Self.at(2))
        _ = machine.processExited(generation: 2, reason: "x", now: Self.at(3))
        _ = machine.tick(now: Self.at(5))
        _ = machine.dataReceived(generation: 3, now: Self.at(6))
        _ = machine.dataReceived(generation: 3, now: Self.at(40))
        let exited = machine.processExited(generation: 3, reason: "x", now: Self.at(41))
        #expect(exited.last == .wake(at: Self.at(42)))
    }

    @Test func stopTerminatesAndMarksDisabled() {
        var machine = SupervisorStateMachine()
        _ = machine.start(now: Self.at(0))
        let stop = machine.stop(now: Self.at(1), reason: "camera disabled")
        #expect(stop.contains(.terminate(generation: 1, reason: "camera disabled")))
        #expect(Self.healths(stop) == [.disabled])
        #expect(machine.tick(now: Self.at(100)).isEmpty)
    }
}
