#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes and removes the ffconcat scripts of ``RecordingCommand/inputScripts``: the only place
/// a camera's password is written out in clear, so the file is created readable by CityWatch's
/// user alone (mode 0600 from the first byte, not chmod-ed after) and removed as soon as ffmpeg
/// has read it (its video flows) or has ended.
enum InputScriptFile {
    /// Writes `script`, replacing any file of that name.
    static func write(_ script: RecordingCommand.InputScript) throws {
        unlink(script.path)  // a file left by a crash may have other permissions: never reuse it
        let fd = open(script.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MediaFailure(operation: "create \(script.path)", status: errno, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(script.text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw MediaFailure(operation: "write \(script.path)", status: errno, message: String(cString: strerror(errno))) }
            written += count
        }
    }

    /// Removes the scripts (those already gone are fine).
    static func remove(_ scripts: [RecordingCommand.InputScript]) {
        for script in scripts { unlink(script.path) }
    }
}
