import CityWatchApp
import CityWatchTestSupport
import Foundation
import Testing

/// The files of the production set-up in `deploy/`: the systemd unit as systemd reads it, the
/// example settings against the settings the server knows, the nginx renderer's refusals.
/// (nginx's configuration itself runs in ``NginxFrontTests``.)
@Suite("Production set-up files")
struct DeploymentFilesTests {
    static let deploy = RepositoryPaths.root.appendingPathComponent("deploy")
    static let analyze = "/usr/bin/systemd-analyze"

    /// `systemd-analyze verify` on a copy of `unit` with its ExecStart pointed at an executable
    /// that exists here; everything it prints (it exits 0 on unknown keys and bad values, and
    /// only says so).
    static func verify(_ unit: String, name: String) throws -> String {
        let folder = try RepositoryPaths.temporaryFolder("unit")
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent(name)
        try Data(unit.replacing("ExecStart=/opt/citywatch/bin/citywatch", with: "ExecStart=\(CommandLineTests.binary)").utf8).write(to: copy)
        return try runProgram("/bin/sh", ["-c", "\"$0\" verify --man=no \"$1\" 2>&1", analyze, copy.path])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "build the executable first: swift build"))
    func theNodeUnitPassesSystemdsOwnCheck() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.analyze),
                     "\(Self.analyze) is missing: apt-get install systemd (scripts/install-deps.sh installs it)")
        let unit = try String(contentsOf: Self.deploy.appendingPathComponent("systemd/citywatch.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/opt/citywatch/bin/citywatch serve"), "the copy below replaces this path only")
        let said = try Self.verify(unit, name: "citywatch.service")
        #expect(said.isEmpty, "systemd-analyze verify: \(said)")
        // The same check notices a misspelt setting here, so silence above means the unit was read.
        let misspelt = try Self.verify(unit.replacing("ProtectSystem=strict", with: "ProtectSytem=strict"), name: "misspelt.service")
        #expect(misspelt.contains("Unknown key 'ProtectSytem'"), "\(misspelt)")
    }

    @Test func theExampleSettingsNameEverySettingTheServerKnows() throws {
        let example = try String(contentsOf: Self.deploy.appendingPathComponent("systemd/citywatch.env.example"), encoding: .utf8)
        let named = Set(example.split(separator: "\n").compactMap { line in
            line.firstMatch(of: /^#?(CITYWATCH_[A-Z_]+)=/).map { String($0.1) }
        })
        let missing = Configuration.Name.allCases.map(\.rawValue).filter { !named.contains($0) }
        #expect(missing.isEmpty, "settings missing from citywatch.env.example: \(missing)")
    }

    @Test func theNginxRendererRefusesAHalfFilledTemplate() throws {
        let script = Self.deploy.appendingPathComponent("nginx/render-conf.sh").path
        let template = Self.deploy.appendingPathComponent("nginx/citywatch.conf.template").path
        let filled = ["SERVER_NAME=cctv.example.org", "LISTEN_ADDRESS=*", "HTTPS_PORT=443", "HTTP_PORT=80",
                      "CERTIFICATE=/etc/ssl/certs/cctv.pem", "CERTIFICATE_KEY=/etc/ssl/private/cctv.key"]
        let rendered = try runProgram("/bin/sh", [script, template] + filled + ["NODE=10.0.0.11:8080", "NODE=10.0.0.12:8080"])
        // Each NODE in both groups of nodes (pooled requests, WebSocket handshakes).
        #expect(rendered.matches(of: /server 10\.0\.0\.11:8080 max_fails=2/).count == 2)
        #expect(rendered.matches(of: /server 10\.0\.0\.12:8080 max_fails=2/).count == 2)
        #expect(rendered.contains("listen *:443 ssl http2;"))
        let noNode = #expect(throws: ProgramFailure.self) { try runProgram("/bin/sh", [script, template] + filled) }
        #expect(noNode?.standardError.contains("no value for NODE") == true, "\(noNode?.standardError ?? "")")
        let noCertificate = #expect(throws: ProgramFailure.self) {
            try runProgram("/bin/sh", [script, template] + filled.dropLast(2) + ["NODE=10.0.0.11:8080"])
        }
        #expect(noCertificate?.standardError.contains("CERTIFICATE") == true && noCertificate?.standardError.contains("CERTIFICATE_KEY") == true,
                "\(noCertificate?.standardError ?? "")")
    }
}
