import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchStore
import Fluent
import Foundation

/// `citywatch cameras retaskings`: the cameras on crime watch now, and the last day's reverts.
struct CamerasRetaskingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retaskings",
        abstract: "List the re-tasked cameras (in force now, and reverted in the last 24 hours).")

    @OptionGroup var store: StoreOptions

    @Flag(name: .customLong("json"), help: "Print the lists as JSON instead of text.")
    var json = false

    /// The two lists.
    struct Listing: Encodable {
        var active: [RetaskingListing]
        var recent: [RetaskingListing]
    }

    func run() async throws {
        let configuration = try store.resolve()
        let listing = try await withStore(configuration) { app in
            let snapshot = try await CameraDirectory().snapshot(on: app.db)
            let (active, recent) = try await RetaskingService(database: app.db).listings(snapshot: snapshot, scope: .everything)
            return Listing(active: active, recent: recent)
        }
        if json { print(try prettyJSON(listing)); return }
        if listing.active.isEmpty { print("No camera is re-tasked.") }
        for line in listing.active {
            print("\(line.cameraId)  \(line.label): \(line.toText) until \(line.untilText) KST, by \(line.by): \(line.reason)")
        }
        if !listing.recent.isEmpty { print("Reverted in the last 24 hours:") }
        for line in listing.recent {
            print("  \(line.cameraId)  \(line.label): back to \(line.fromText), by \(line.revertedBy ?? "?")")
        }
    }
}

