import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import Fluent
import Foundation

/// `citywatch cameras retask ID --reason R --minutes N`, or `--revert`.
struct CamerasRetaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retask",
        abstract: "Switch a parking-enforcement camera to crime watch for a while, or switch it back.",
        discussion: "The camera runs the crime-watch rules (loitering, night intrusion over the whole picture) until the time is over, then gets its own rules back by itself (a running server reverts it). Re-tasking a camera that is re-tasked already extends it. Both directions are audit-logged as camera.retask and camera.retask.revert.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The camera's id (a UUID).", valueName: "camera-id"))
    var camera: String

    @Option(help: ArgumentHelp("Why the camera is switched (or switched back early), 3–500 characters.", valueName: "text"))
    var reason: String?

    @Option(help: ArgumentHelp("How long the switch lasts, 5–1440 minutes.", valueName: "minutes"))
    var minutes: Int?

    @Option(help: ArgumentHelp("The purpose to switch to (only crimePrevention).", valueName: "code"))
    var to: String = CameraPurpose.crimePrevention.code

    @Flag(help: "Switch the camera back to its registry purpose now.")
    var revert = false

    @Flag(name: .customLong("json"), help: "Print the re-tasking as JSON instead of text.")
    var json = false

    func validate() throws {
        guard UUID(uuidString: camera) != nil else { throw ValidationError("'\(camera.prefix(40))' is not a camera id (a UUID)") }
        if revert {
            guard minutes == nil else { throw ValidationError("--minutes does not go with --revert") }
        } else {
            guard reason != nil else { throw ValidationError("--reason is needed: say why the camera is switched") }
            guard minutes != nil else { throw ValidationError("--minutes is needed: how long the switch lasts (5–1440)") }
        }
    }

    func run() async throws {
        let configuration = try store.resolve()
        let id = UUID(uuidString: camera)!
        let (revert, reason, minutes, to) = (revert, reason, minutes, to)
        let actor = commandLineActor
        let result: Result<RetaskingListing, RetaskingError> = try await withStore(configuration) { app in
            let snapshot = try await CameraDirectory().snapshot(on: app.db)
            guard let camera = snapshot.camera(id) else { throw ValidationError("no camera \(id)") }
            let label = snapshot.label(of: camera)
            let service = RetaskingService(database: app.db)
            do {
                if revert {
                    return .success(RetaskingListing(try await service.revert(camera: id, by: actor, reason: reason), label: label, now: Date()))
                }
                guard let purpose = CameraPurpose(code: to) else { throw RetaskingError.unsupportedTarget(to) }
                let applied = try await service.apply(.init(cameraID: id, to: purpose, reason: reason ?? "", minutes: minutes ?? 0, by: actor),
                                                      registryPurpose: snapshot.site(of: camera).record.purpose)
                return .success(RetaskingListing(applied.retasking, label: label, now: Date(), extended: applied.extended))
            } catch let error as RetaskingError {
                return .failure(error)
            }
        }
        switch result {
        case .failure(let error):
            throw ValidationError(error.description)
        case .success(let line):
            if json { print(try prettyJSON(line)); return }
            if revert {
                print("\(line.cameraId)  \(line.label): back to \(line.fromText) (\(line.from))")
            } else {
                print("\(line.cameraId)  \(line.label): \(line.fromText) → \(line.toText) until \(line.untilText) KST\(line.extended == true ? " (extended)" : "")")
            }
        }
    }
}
