import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A place in a multi-step file operation where a test kills the process outright (SIGKILL, no
/// clean-up), to see that a restart finds exactly one indexed, playable copy of everything.
///
/// Off unless the environment names one: `CITYWATCH_TEST_KILL_AT=<point>:<n>` kills the process
/// the n-th time it reaches `<point>` (n from 1). Nothing else reads the variable.
public final class KillPoints: Sendable {
    /// The variable tests set.
    public static let variable = "CITYWATCH_TEST_KILL_AT"

    private let target: (point: String, count: Int)?
    private let reached = Mutex<[String: Int]>([:])

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let text = environment[Self.variable], let colon = text.lastIndex(of: ":"),
              let count = Int(text[text.index(after: colon)...]), count > 0 else {
            target = nil
            return
        }
        target = (String(text[..<colon]), count)
    }

    /// Kills the process when this is the point and the time the environment names.
    public func reach(_ point: String) {
        guard let target, target.point == point else { return }
        let times = reached.withLock { counts -> Int in
            counts[point, default: 0] += 1
            return counts[point]!
        }
        guard times == target.count else { return }
        FileHandle.standardError.write(Data("killed at \(point) (\(Self.variable))\n".utf8))
        kill(getpid(), SIGKILL)
    }
}
