import Foundation

/// How to call this program again in a hint the program prints ("press a bell from another
/// terminal: …"): the name it was started by when that was a plain name found on the PATH,
/// otherwise the path of the binary itself — never `swift run`, which only works inside the
/// source checkout, while the binary may be installed anywhere.
enum ProgramName {
    static var invocation: String {
        let started = CommandLine.arguments.first ?? "citywatch"
        if !started.contains("/") { return started }
        return URL(fileURLWithPath: started).standardizedFileURL.path
    }
}
