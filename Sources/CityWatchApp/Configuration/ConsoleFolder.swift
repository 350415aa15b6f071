import Foundation

/// Where the browser console's files (`Public/`: index.html, css/, js/) are, for a server that
/// may run from anywhere: an installed binary, the binary of a checkout, or `swift run`.
///
/// Why not SwiftPM resources: the console lives at the repository's top (`Public/`, edited and
/// served as is, no build step) and SwiftPM only bundles files inside a target's folder; and the
/// generated `Bundle.module` stops the process with a fatal error when the bundle is missing,
/// where a server should say what it looked for. Instead the files are found beside the binary:
///
/// 1. `<binary>/../share/citywatch/Public` — an installation (`make install PREFIX=…` puts the
///    binary in `PREFIX/bin` and the console in `PREFIX/share/citywatch/Public`);
/// 2. `<checkout>/Public` when the binary sits in a SwiftPM checkout's `.build` folder — the
///    console of the sources it was built from, whatever the working directory;
/// 3. `./Public` — the working directory, as before.
///
/// The binary's path is its real path (symbolic links followed), so a link in `/usr/local/bin`
/// to an installation elsewhere finds that installation's console. A folder given with
/// `--public-dir` or `CITYWATCH_PUBLIC_DIR` is used alone. Pure: the caller passes the paths and
/// a way to test for a file.
public enum ConsoleFolder {
    /// The console's files are nowhere the server looked.
    public struct Missing: Error, Equatable, CustomStringConvertible {
        /// Every folder looked in, in order.
        public var lookedIn: [String]
        /// True when the folder was configured (flag, environment or file) rather than searched for.
        public var configured: Bool

        public init(lookedIn: [String], configured: Bool) {
            self.lookedIn = lookedIn
            self.configured = configured
        }

        public var description: String {
            let places = lookedIn.joined(separator: ", ")
            return configured
                ? "the console's files are not in \(places) (no index.html there; from --public-dir or CITYWATCH_PUBLIC_DIR)"
                : "the console's files were not found: no index.html in \(places). Install them beside the binary (make install PREFIX=…), "
                    + "or name their folder with --public-dir or CITYWATCH_PUBLIC_DIR"
        }
    }

    /// The folders to look in, in order, for a binary whose real path is `executable`, run in
    /// `workingDirectory`.
    public static func candidates(executable: String, workingDirectory: String) -> [String] {
        let binaryFolder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        var folders = [binaryFolder.appendingPathComponent("../share/citywatch/Public").standardizedFileURL.path]
        let parts = URL(fileURLWithPath: executable).standardizedFileURL.pathComponents
        if let build = parts.lastIndex(of: ".build"), build > 0 {
            folders.append(NSString.path(withComponents: Array(parts[..<build]) + ["Public"]))
        }
        folders.append(URL(fileURLWithPath: workingDirectory).appendingPathComponent("Public").standardizedFileURL.path)
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    /// The console folder: `configured` when given (it must hold index.html), else the first
    /// of ``candidates(executable:workingDirectory:)`` that holds index.html.
    public static func locate(configured: String?, executable: String, workingDirectory: String,
                              fileExists: (String) -> Bool) throws(Missing) -> String {
        func holdsConsole(_ folder: String) -> Bool { fileExists((folder as NSString).appendingPathComponent("index.html")) }
        if let configured {
            let folder = URL(fileURLWithPath: configured, relativeTo: URL(fileURLWithPath: workingDirectory, isDirectory: true)).standardizedFileURL.path
            guard holdsConsole(folder) else { throw Missing(lookedIn: [folder], configured: true) }
            return folder
        }
        let folders = candidates(executable: executable, workingDirectory: workingDirectory)
        guard let found = folders.first(where: holdsConsole) else { throw Missing(lookedIn: folders, configured: false) }
        return found
    }

    /// The running binary's real path (`/proc/self/exe`; the invoked name when that cannot be read).
    public static var runningExecutable: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? "citywatch").resolvingSymlinksInPath().path
    }
}
