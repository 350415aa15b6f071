import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import Fluent
import Foundation

/// `citywatch bells list`.
struct BellsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the bells with the cameras that can see each one, nearest first.",
        discussion: "A camera is linked when it stands within --radius metres of the bell and its view direction (촬영방면정보) covers it; all-round cameras and cameras of unknown direction cover every way.")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Metres a camera may stand from a bell.", valueName: "metres"))
    var radius: Double = BellCameraLinker.defaultRadius

    @Flag(name: .customLong("json"), help: "Print the list as JSON instead of text.")
    var json = false

    func validate() throws {
        guard radius.isFinite, radius > 0, radius <= 5_000 else { throw ValidationError("--radius must be more than 0 and at most 5000 metres") }
    }

    func run() async throws {
        let configuration = try store.resolve()
        let radius = radius
        let listings = try await withStore(configuration) { app in
            try await BellDirectory(database: app.db).listings(radius: radius)
        }
        if json {
            print(try prettyJSON(listings))
            return
        }
        if listings.isEmpty { print("No bells; import some with `citywatch bells import FILE`.") }
        for listing in listings {
            let bell = listing.bell
            let place = [bell.displayAddress, bell.location].filter { !$0.isEmpty }.joined(separator: " — ")
            // The key first (what `bells press`, `key` and `drill` take), then the installer's number when it differs.
            let number = bell.rowKey.isEmpty || bell.managementNumber.isEmpty ? "" : "  [안전비상벨관리번호 \(bell.managementNumber)]"
            print("\(listing.key)\(number)  \(place.replacing("\n", with: " "))  (\(bell.latitude), \(bell.longitude))")
            if listing.cameras.isEmpty { print("    no camera sees it within \(Int(radius)) m") }
            for camera in listing.cameras {
                print("    \(camera.cameraID.uuidString.lowercased())  \(Int(camera.distance.rounded())) m  \(camera.address)  [\(camera.viewDirection)]")
            }
        }
    }
}
