import CityWatchMedia
import Foundation
import Synchronization
import Testing

/// Short-lived programs: their output heard as it comes, and a program that goes quiet stopped
/// without waiting for its whole time limit.
@Suite("Child programs")
struct ChildProgramTests {
    @Test func aProgramThatReportsKeepsRunningPastTheIdleLimitAndIsHeardLineByLine() async throws {
        let heard = Mutex("")
        let result = try await ChildProgram.run("/bin/sh", ["-c", "for i in 1 2 3 4 5 6; do echo step $i; sleep 0.4; done"],
                                                timeout: 60, idleTimeout: 1) { lines in heard.withLock { $0 += lines } }
        #expect(result.status == 0 && result.stoppedBecause == nil, "\(result.status) \(result.stoppedBecause ?? "")")
        #expect(heard.withLock { $0 } == (1...6).map { "step \($0)\n" }.joined())
    }

    @Test func aProgramThatGoesQuietIsStoppedAndSaysWhy() async throws {
        let started = Date()
        let result = try await ChildProgram.run("/bin/sh", ["-c", "echo started; sleep 30"], timeout: 60, idleTimeout: 1)
        #expect(Date().timeIntervalSince(started) < 10, "stopped after \(Date().timeIntervalSince(started)) s")
        #expect(result.status != 0)
        #expect(result.stoppedBecause?.contains("no progress for 1 s") == true, "\(result.stoppedBecause ?? "nil")")
    }
}
