import Foundation

/// Runs a process with its wall clock (and only its wall clock) set `seconds` ahead: a small
/// preload library, compiled here with the toolchain's C compiler, adds them to every reading of
/// `CLOCK_REALTIME`, `gettimeofday` and `time`. Monotonic clocks and timers are left alone, as
/// on a machine whose time is simply wrong.
///
/// Debian's `faketime` (libfaketime 0.9.10) cannot do this for a Swift server: it converts every
/// absolute `timerfd_settime` as if the value were faked wall-clock time, also for the
/// `CLOCK_MONOTONIC` timers libdispatch arms for `Task.sleep`. An hour ahead, that value comes
/// out negative on a machine up for less than an hour (EINVAL: every sleep hangs) and an hour
/// early on one up longer (every sleep returns at once), so the server under test never sleeps
/// as it would.
public enum WallClockSkew {
    static let source = """
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <stdlib.h>
        #include <sys/time.h>
        #include <time.h>

        static long skew(void) {
            static long seconds = -1;
            if (seconds == -1) {
                const char *value = getenv("CITYWATCH_TEST_WALL_CLOCK_SKEW");
                seconds = value ? atol(value) : 0;
            }
            return seconds;
        }

        int clock_gettime(clockid_t clock, struct timespec *now) {
            static int (*next)(clockid_t, struct timespec *);
            if (!next) next = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
            int result = next(clock, now);
            if (result == 0 && (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE)) now->tv_sec += skew();
            return result;
        }

        int gettimeofday(struct timeval *now, void *zone) {
            static int (*next)(struct timeval *, void *);
            if (!next) next = (int (*)(struct timeval *, void *))dlsym(RTLD_NEXT, "gettimeofday");
            int result = next(now, zone);
            if (result == 0 && now) now->tv_sec += skew();
            return result;
        }

        time_t time(time_t *out) {
            struct timespec now;
            clock_gettime(CLOCK_REALTIME, &now);
            if (out) *out = now.tv_sec;
            return now.tv_sec;
        }
        """

    /// The C compiler: the toolchain's clang (next to `swift` on the PATH), else `cc`.
    public static var compiler: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["clang", "cc"] {
            for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }

    /// Builds the library in `folder`; returns the command prefix that runs a program `seconds` ahead.
    public static func wrapper(seconds: Int, in folder: URL) throws -> [String] {
        guard let compiler else { throw SkewUnavailable() }
        let sourcePath = folder.appendingPathComponent("wall-clock-skew.c").path
        let library = folder.appendingPathComponent("wall-clock-skew.so").path
        try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        _ = try runProgram(compiler, ["-shared", "-fPIC", "-O2", "-o", library, sourcePath, "-ldl"])
        return ["/usr/bin/env", "LD_PRELOAD=\(library)", "CITYWATCH_TEST_WALL_CLOCK_SKEW=\(seconds)"]
    }

    struct SkewUnavailable: Error, CustomStringConvertible {
        var description: String { "no C compiler (clang or cc) on the PATH to build the wall-clock preload library" }
    }
}
