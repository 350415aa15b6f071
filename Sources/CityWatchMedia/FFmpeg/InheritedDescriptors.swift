#if canImport(Glibc)
import Glibc
#endif

/// Keeps a spawned child from inheriting the parent's open files.
///
/// Pipes made by Foundation (and by other threads while a child starts) are not close-on-exec.
/// A child that inherits the write end of another child's input pipe keeps that pipe open for
/// as long as it lives: the other child never sees the end of its input and never exits. A
/// PostgreSQL server started by the tests held every ffmpeg encoder's input that way.
public enum InheritedDescriptors {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module
    /// does not declare; nil on a C library without it.
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// Adds to `actions` the closing of every descriptor from 3 up, after the redirections
    /// already added. Without glibc's `closefrom` action, it closes the descriptors open now.
    public static func closeAllAboveStandardStreams(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom {
            _ = closeFrom(&actions, 3)
            return
        }
        guard let folder = opendir("/proc/self/fd") else { return }
        defer { closedir(folder) }
        let own = dirfd(folder)
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name), fd > 2, fd != own { posix_spawn_file_actions_addclose(&actions, fd) }
        }
    }
}
