import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchStore
import Fluent
import FluentKit
import Foundation

/// `citywatch cameras export`.
struct CamerasExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the registry as CSV (current 18-column national layout, UTF-8) or GeoJSON.",
        discussion: "Importing the CSV into an empty store gives the same registry back.")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("csv or geojson.", valueName: "format"))
    var format: RegistryExporter.Format = .csv

    @Option(name: [.short, .long], help: ArgumentHelp("File to write (default: standard output).", valueName: "file"))
    var output: String?

    func run() async throws {
        let configuration = try store.resolve()
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let file = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("cannot write \(output)")
            }
            handle = file
        } else {
            handle = .standardOutput
        }
        let format = format
        let output = output
        let count = try await withStore(configuration) { app in
            try await AuditLog(database: app.db).append(AuditEvent(actor: commandLineActor, action: "registry.export",
                                                                   target: output ?? "stdout", details: ["format": .string(format.rawValue)]))
            return try await RegistryExporter(database: app.db).export(format) { handle.write(Data($0.utf8)) }
        }
        if output != nil {
            try handle.close()
            FileHandle.standardError.write(Data("Exported \(count.grouped) sites to \(output!).\n".utf8))
        }
    }
}

extension RegistryExporter.Format: ExpressibleByArgument {}
