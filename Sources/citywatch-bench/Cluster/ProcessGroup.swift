#if canImport(Glibc)
import Glibc
#endif
import CityWatchMedia
import Foundation
import Synchronization

/// A program the cluster benchmarks start in a process group of its own, so that it and every
/// process it starts (a node's ffmpegs) end together with one signal, as when a machine dies.
///
/// Started with `posix_spawn`, an empty signal mask and default signal handlers (Swift's
/// threads block most signals, and a child would inherit that), standard output and error
/// appended to a log file; a thread of its own waits for it, so it never lingers as a zombie.
final class ProcessGroup: Sendable {
    /// The group's leader, whose id is also the group's.
    let pid: pid_t
    let name: String
    private let status = Status()

    /// What the waiting thread learns.
    private final class Status: Sendable {
        let ended = Mutex(false)
    }

    init(name: String, path: String, arguments: [String], environment: [String: String], logPath: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        InheritedDescriptors.closeAllAboveStandardStreams(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw BenchFailure("cannot start \(name) (\(path)): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        self.name = name
        let shared = self.status, child = pid
        let watcher = Thread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
            shared.ended.withLock { $0 = true }
        }
        watcher.name = "bench-wait"
        watcher.start()
    }

    /// True until the leader has ended (its group may still hold processes it left behind).
    var isRunning: Bool { !status.ended.withLock { $0 } }

    /// SIGKILL to every process of the group: the leader and whatever it started.
    func killGroup() {
        kill(-pid, SIGKILL)
    }

    /// Kills the group and waits until no process of it is left (at most `timeout`).
    func killGroupAndWait(timeout: Duration = .seconds(10)) async {
        killGroup()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, isRunning || ProcessTable.hasMembers(group: pid) {
            try? await Task.sleep(for: .milliseconds(50))
            killGroup()
        }
    }
}

/// An error of the cluster benchmarks that says what went wrong and what to do.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
