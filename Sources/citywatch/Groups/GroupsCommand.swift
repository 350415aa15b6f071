import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation

/// `citywatch groups`: camera groups.
struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "Manage camera groups (which cameras users granted the group may see).",
        subcommands: [GroupsAddCommand.self, GroupsListCommand.self, GroupsRemoveCommand.self])
}

/// `citywatch groups add NAME`.
struct GroupsAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a camera group by purpose, area and/or hand-picked cameras.",
        discussion: "A camera belongs to the group when it matches every part given. Example: a school officer's group: --purpose childProtection --bbox 37.49,127.03,37.52,127.07")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Group name.") var name: String
    @Option(help: ArgumentHelp("A purpose code (repeatable): crimePrevention, childProtection, trafficEnforcement, …", valueName: "code"))
    var purpose: [String] = []
    @Option(help: ArgumentHelp("Area as SOUTH,WEST,NORTH,EAST in degrees.", valueName: "box")) var bbox: String?
    @Option(help: ArgumentHelp("A camera id (repeatable).", valueName: "uuid")) var camera: [String] = []
    @Option(help: "What the group is for.") var description: String = ""

    func run() async throws {
        let configuration = try store.resolve()
        var rule = CameraGroupRule()
        if !purpose.isEmpty { rule.purposes = purpose }
        if let bbox {
            do { rule.bbox = try GeoBoundingBox(parsing: bbox) } catch { throw ValidationError(error.description) }
        }
        if !camera.isEmpty {
            rule.cameraIds = try camera.map {
                guard let id = UUID(uuidString: $0) else { throw ValidationError("camera '\($0)' is not a camera id (UUID)") }
                return id
            }
        }
        let (name, description, finalRule) = (name, description, rule)
        try await withStore(configuration) { app in
            do { _ = try await configuration.accounts(app).createGroup(name: name, description: description, rule: finalRule, actor: commandLineActor) }
            catch let error as AccountError { throw ValidationError(error.description) }
        }
        print("Added camera group \(name).")
    }
}

/// `citywatch groups list`.
struct GroupsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List camera groups and their rules.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.resolve()
        let groups = try await withStore(configuration) { app in
            try await CameraGroupModel.query(on: app.db).sort(\.$name).all().map { "\($0.name)\t\($0.rule)\t\($0.description)" }
        }
        print(groups.isEmpty ? "No camera groups." : "NAME\tRULE\tDESCRIPTION\n" + groups.joined(separator: "\n"))
    }
}

/// `citywatch groups remove NAME`.
struct GroupsRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a camera group and its grants.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Group name.") var name: String

    func run() async throws {
        let configuration = try store.resolve()
        let name = name
        try await withStore(configuration) { app in
            guard let group = try await CameraGroupModel.query(on: app.db).filter(\.$name == name).first() else {
                throw ValidationError("no camera group named '\(name)'")
            }
            try await configuration.accounts(app).deleteGroup(id: group.requireID(), actor: commandLineActor)
        }
        print("Removed camera group \(name).")
    }
}
