#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A child process (ffmpeg, ffprobe) started with `posix_spawn`, a clean signal mask and
/// default signal handlers, watched by a thread of its own.
///
/// Foundation's `Process` passes on the signal mask of the thread that starts it, and Swift's
/// and Dispatch's threads block nearly every signal: an ffmpeg started that way ignores SIGTERM
/// and cannot close its last segment cleanly. Here the child always starts with nothing
/// blocked, and the exit is observed by a thread blocked in `waitpid` (no polling).
public final class MediaProcess: Sendable {
    /// How the process ended.
    public struct Exit: Sendable, Equatable {
        /// Exit status, or the signal number when `signalled`.
        public var status: Int32
        public var signalled: Bool
    }

    /// State the watcher threads update.
    private final class Shared: Sendable {
        let exit = Mutex<Exit?>(nil)
        let tail = Mutex<[String]>([])
    }

    public let pid: pid_t
    private let shared = Shared()

    /// Starts `path` with `arguments`. Standard input comes from `standardInputPath` (or is
    /// empty; a FIFO there must already be open for writing, or the child waits for a writer);
    /// standard output goes to `standardOutputPath` (or is discarded); standard error is kept
    /// (its last lines, see ``standardErrorTail``).
    /// `onExit` runs on the watcher thread once the process has ended.
    public init(path: String, arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
                standardInputPath: String? = nil, standardOutputPath: String? = nil, onExit: @escaping @Sendable (Exit) -> Void = { _ in }) throws {
        var errorPipe: [Int32] = [0, 0]
        guard pipe(&errorPipe) == 0 else { throw MediaFailure(operation: "pipe", status: errno, message: String(cString: strerror(errno))) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, standardInputPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        InheritedDescriptors.closeAllAboveStandardStreams(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        close(errorPipe[1])
        guard spawned == 0 else {
            close(errorPipe[0])
            throw MediaFailure(operation: "start \(path)", status: spawned, message: String(cString: strerror(spawned)))
        }
        self.pid = pid
        let readFD = errorPipe[0]
        let shared = self.shared
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var pending = ""
            while true {
                let count = read(readFD, &buffer, buffer.count)
                if count <= 0 { break }
                pending += String(decoding: buffer[0..<count], as: UTF8.self)
                let lines = pending.split(separator: "\n", omittingEmptySubsequences: false)
                pending = String(lines.last ?? "")
                let complete = lines.dropLast().map(String.init).filter { !$0.isEmpty }
                if !complete.isEmpty { shared.tail.withLock { $0 = Array(($0 + complete).suffix(20)) } }
            }
            if !pending.isEmpty { shared.tail.withLock { $0 = Array(($0 + [pending]).suffix(20)) } }
            close(readFD)
        }
        reader.name = "cw-stderr"
        reader.start()
        let child = pid
        let watcher = Thread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
            let result = (status & 0x7f) == 0 ? Exit(status: (status >> 8) & 0xff, signalled: false)
                : Exit(status: status & 0x7f, signalled: true)
            shared.exit.withLock { $0 = result }
            onExit(result)
        }
        watcher.name = "cw-wait"
        watcher.start()
    }

    /// True until the process has ended.
    public var isRunning: Bool { shared.exit.withLock { $0 == nil } }

    /// How it ended, once it has.
    public var exitStatus: Exit? { shared.exit.withLock { $0 } }

    /// The last lines the process wrote to standard error.
    public var standardErrorTail: [String] { shared.tail.withLock { $0 } }

    /// Asks the process to finish (SIGTERM).
    public func terminate() {
        if isRunning { kill(pid, SIGTERM) }
    }

    /// Ends the process at once (SIGKILL).
    public func forceKill() {
        if isRunning { kill(pid, SIGKILL) }
    }
}
