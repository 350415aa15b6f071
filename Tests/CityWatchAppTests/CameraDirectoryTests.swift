import CityWatchAPI
import CityWatchApp
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing

/// The shared camera directory follows the store's registry; a caller that cannot wait (a bell
/// press) gets the snapshot at hand while a reload after an import runs behind it.
@Suite("Camera directory")
struct CameraDirectoryTests {
    @Test func aSnapshotAtHandDoesNotWaitForTheReloadAnImportStarted() async throws {
        try await withCityWatch(.sqlite) { app in
            _ = try await app.makeCameras(2)
            let directory = CameraDirectory(recheckInterval: 0)
            #expect(try await directory.snapshot(on: app.db).cameras.count == 2)

            // Another process imports three more sites: the registry version moves.
            _ = try await app.makeCameras(5)
            let atHand = try await directory.snapshotAtHand(on: app.db)
            #expect(atHand.cameras.count == 2, "the snapshot at hand is the one loaded before the import")

            // The reload it started lands without anyone waiting for it.
            var seen = atHand.cameras.count
            for _ in 0..<200 where seen != 5 {
                try await Task.sleep(for: .milliseconds(10))
                seen = try await directory.snapshotAtHand(on: app.db).cameras.count
            }
            #expect(seen == 5)
            // A caller that waits sees the import at once.
            #expect(try await CameraDirectory().snapshot(on: app.db).cameras.count == 5)
        }
    }

    /// A reload a bell press started in the background is still running when the server stops:
    /// shutdown waits for it before the store closes (a query cut off there left its SQLite
    /// connection unclosed, and the debug build stopped the whole process on it).
    @Test func shutdownWaitsForAReloadStartedInTheBackground() async throws {
        let directory = try await withCityWatch(.sqlite) { app -> CameraDirectory in
            _ = try await app.makeCameras(2)
            let directory = app.cityWatch.directory
            #expect(try await directory.snapshot(on: app.db).cameras.count == 2)
            _ = try await app.makeCameras(4_000)
            let atHand = try await directory.snapshotAtHand(on: app.db, now: Date().addingTimeInterval(5))
            #expect(atHand.cameras.count == 2 && directory.isLoading, "the reload runs behind the snapshot at hand")
            return directory
        }
        #expect(!directory.isLoading, "the application shut down with the reload still running")
    }

    @Test func aDirectoryThatNeverLoadedWaitsForItsFirstLoad() async throws {
        try await withCityWatch(.sqlite) { app in
            _ = try await app.makeCameras(3)
            #expect(try await CameraDirectory().snapshotAtHand(on: app.db).cameras.count == 3)
        }
    }

    @Test func withinItsRecheckIntervalTheDirectoryKeepsWhatItHasUntilInvalidated() async throws {
        try await withCityWatch(.sqlite) { app in
            _ = try await app.makeCameras(2)
            let directory = CameraDirectory(recheckInterval: 60)
            #expect(try await directory.snapshot(on: app.db).cameras.count == 2)
            _ = try await app.makeCameras(4)
            // Within the recheck interval the directory keeps what it has, until told.
            #expect(try await directory.snapshot(on: app.db).cameras.count == 2)
            directory.invalidate()
            #expect(try await directory.snapshot(on: app.db).cameras.count == 4)
        }
    }
}
