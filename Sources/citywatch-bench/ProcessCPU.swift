#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// CPU seconds this process and its finished children have used (user + system).
enum ProcessCPU {
    static func seconds(_ who: Int32) -> Double {
        var usage = rusage()
        getrusage(who, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// This process.
    static var own: Double { seconds(RUSAGE_SELF.rawValue) }

    /// Children that have ended and been waited for.
    static var children: Double { seconds(RUSAGE_CHILDREN.rawValue) }

    /// CPU seconds of a running process (and nothing of its children), from /proc.
    static func of(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state(0) … utime(11) stime(12).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
