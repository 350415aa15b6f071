import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Progress of long command-line work on standard error, so standard output keeps only the
/// result: on a terminal one line rewritten at most four times a second; elsewhere (a log, a
/// CI run) a line of its own at most every 10 s, so the log holds no carriage returns.
public final class StatusLine: @unchecked Sendable {
    // @unchecked: every entry point takes the lock.
    private let enabled: Bool
    private let terminal: Bool
    private let lock = NSLock()
    private var last = Date.distantPast
    private var open = false

    /// `enabled` false writes nothing (a command printing JSON, say); `terminal` is whether
    /// standard error is one.
    public init(enabled: Bool = true, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.enabled = enabled
        self.terminal = terminal
    }

    /// Shows `text` as the current state, unless one was shown too lately; `final` (the last
    /// state: 72 of 72) is always shown.
    public func show(_ text: String, final: Bool = false) {
        lock.lock()
        defer { lock.unlock() }
        guard enabled else { return }
        let now = Date()
        guard final || now.timeIntervalSince(last) >= (terminal ? 0.25 : 10) else { return }
        last = now
        if terminal {
            write("\r\(text)\u{1B}[K")   // (clearing what a longer line left)
            open = true
        } else {
            write(text + "\n")
        }
    }

    /// Writes `text` on a line of its own at once (something the user should see as it happens).
    public func say(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        guard enabled else { return }
        write((open ? "\n" : "") + text + "\n")
        open = false
    }

    /// Ends the rewritten line, if one is open.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if open { write("\n") }
        open = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
