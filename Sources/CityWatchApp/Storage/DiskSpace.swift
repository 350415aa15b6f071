import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The size and free space of the filesystem a folder is on.
public struct DiskSpace: Sendable, Equatable {
    public var totalBytes: Int64
    /// What an unprivileged writer may still use (`f_bavail`).
    public var freeBytes: Int64

    public init(totalBytes: Int64, freeBytes: Int64) {
        self.totalBytes = totalBytes
        self.freeBytes = freeBytes
    }

    /// Free space as a share of the whole, 0–100.
    public var freePercent: Double { totalBytes > 0 ? Double(freeBytes) / Double(totalBytes) * 100 : 0 }

    /// Free space, as a share of the whole, once `bytes` more are written.
    public func freePercent(after bytes: Int64) -> Double {
        totalBytes > 0 ? Double(freeBytes - bytes) / Double(totalBytes) * 100 : 0
    }

    /// Bytes to free for the free share to reach `percent` with `extra` more bytes written.
    public func bytesShort(ofFreePercent percent: Double, plus extra: Int64 = 0) -> Int64 {
        max(0, Int64((percent / 100 * Double(totalBytes)).rounded(.up)) + extra - freeBytes)
    }

    /// The filesystem of `folder`; nil when it cannot be read.
    public static func of(_ folder: String) -> DiskSpace? {
        var figures = statvfs()
        guard statvfs(folder, &figures) == 0 else { return nil }
        let unit = Int64(figures.f_frsize > 0 ? figures.f_frsize : figures.f_bsize)
        return DiskSpace(totalBytes: Int64(figures.f_blocks) * unit, freeBytes: Int64(figures.f_bavail) * unit)
    }
}
