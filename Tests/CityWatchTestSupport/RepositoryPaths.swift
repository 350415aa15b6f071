import Foundation

/// Where things are, seen from the test sources.
public enum RepositoryPaths {
    /// The repository root (two folders above this file's folder).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/data/NAME`: the real data the tests read (never copied into the repository).
    public static func sharedData(_ name: String) -> URL {
        root.deletingLastPathComponent().appendingPathComponent("shared/data/\(name)")
    }

    /// Gangnam's 2017 CCTV registry (CP949, 13 columns, 1,699 rows, 4,387 cameras).
    public static var gangnamRegistry: URL { sharedData("gangnam_cctv.csv") }

    /// The console files.
    public static var publicDirectory: URL { root.appendingPathComponent("Public") }

    /// A fresh temporary folder.
    public static func temporaryFolder(_ label: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Runs a program and returns its standard output; throws with its standard error on failure.
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ProgramFailure(program: path, status: process.terminationStatus, standardError: String(decoding: errData, as: UTF8.self),
                             standardOutput: String(decoding: outData, as: UTF8.self))
    }
    return String(decoding: outData, as: UTF8.self)
}

/// A program that exited with a non-zero status.
public struct ProgramFailure: Error, CustomStringConvertible {
    public var program: String
    public var status: Int32
    public var standardError: String
    public var standardOutput: String
    public var description: String { "\(program) exited with \(status): \(standardError)" }
}
