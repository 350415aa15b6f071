import ArgumentParser
import CityWatchMedia
import Foundation

/// `citywatch synthetic list`: the built-in scenes.
struct SyntheticListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the built-in scenes with their default length.")

    func run() async throws {
        let width = BuiltInScene.allCases.map(\.rawValue.count).max() ?? 0
        for scene in BuiltInScene.allCases {
            let name = scene.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(name)  \(Int(scene.defaultDuration)) s  \(scene.summary)")
        }
    }
}
