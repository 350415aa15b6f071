import ArgumentParser
import CityWatchMedia
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion and measures it from outside: wall time and the peak resident
/// memory the kernel accounted to it (wait4's rusage), which Foundation's `Process` does not give.
struct ChildProcess {
    struct Outcome {
        var status: Int32
        var wallSeconds: Double
        var maxResidentKiB: Int
    }

    /// Runs `arguments[0]` (a path) with `arguments`, output sent to `outputPath`.
    static func run(_ arguments: [String], outputPath: String = "/dev/null") throws -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, outputPath + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        InheritedDescriptors.closeAllAboveStandardStreams(&actions)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw CocoaError(.executableNotLoadable, userInfo: [NSFilePathErrorKey: arguments[0]]) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        let elapsed = ContinuousClock.now - start
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exit, wallSeconds: Double(elapsed.nanoseconds) / 1e9, maxResidentKiB: Int(usage.ru_maxrss))
    }

    /// The path of the running executable.
    static var selfPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The `citywatch` built beside this program: the server and the import the benchmarks measure.
    static func cityWatchPath() throws -> String {
        let path = URL(fileURLWithPath: selfPath).deletingLastPathComponent().appendingPathComponent("citywatch").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ValidationError("this benchmark runs citywatch, and there is none beside \(selfPath): build both products (`swift build -c release`)")
        }
        return path
    }
}

/// The median of some numbers.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
