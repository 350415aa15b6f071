import CityWatchMedia
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Children started by CityWatch, with nothing of the parent's but the standard streams.
@Suite("Child processes")
struct MediaProcessTests {
    /// A pipe the parent has open (as any other child's input pipe would be) must not reach a
    /// new child: one that kept its write end would keep the other child from ever seeing the
    /// end of its input.
    @Test func aChildDoesNotInheritTheParentsPipes() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let listing = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-fds-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: listing) }
        let done = AsyncStream<MediaProcess.Exit>.makeStream()
        _ = try MediaProcess(path: "/bin/sh", arguments: ["-c", "ls /proc/$$/fd"], standardOutputPath: listing) {
            done.continuation.yield($0)
            done.continuation.finish()
        }
        var exits = done.stream.makeAsyncIterator()
        #expect(await exits.next()?.status == 0)
        let open = try String(contentsOfFile: listing, encoding: .utf8).split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
        #expect(open.contains(0) && open.contains(1) && open.contains(2), "\(open)")
        #expect(!open.contains(ends[0]) && !open.contains(ends[1]), "the child holds the parent's pipe: \(open)")
    }
}
