import ArgumentParser
import CityWatchApp
import CityWatchMedia
import Fluent
import FluentKit
import Foundation

/// `citywatch export verify`.
struct ExportVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an export folder or zip: every file's SHA-256 and the manifest's signature.",
        discussion: "Exit status 0 when the export is intact, 1 naming every file that changed, is missing or was added, or a bad signature. With --data-dir (or the default data folder) present, the signature must be this installation's key; --public-key gives another one.")

    @Argument(help: ArgumentHelp("The export folder or zip.", valueName: "path")) var path: String
    @Option(name: .customLong("public-key"), help: ArgumentHelp("The Ed25519 public key (base64) the export must be signed with.", valueName: "base64"))
    var publicKey: String?
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("The installation's data folder, whose signing key is trusted (default ./.citywatch).", valueName: "folder"))
    var dataDirectory: String?

    func run() async throws {
        var trusted = publicKey
        if trusted == nil {
            let keys = ((dataDirectory ?? ".citywatch") as NSString).appendingPathComponent("keys")
            if FileManager.default.fileExists(atPath: (keys as NSString).appendingPathComponent("signing.key")) {
                trusted = try SigningKey.load(folder: keys).publicKeyBase64
            }
        }
        let result: EvidenceVerifier.Result
        do { result = try EvidenceService.verify(path: path, trustedKey: trusted) } catch {
            throw ValidationError("\(path): \(error)")
        }
        if result.isValid, let manifest = result.manifest {
            let fingerprint = SigningKey.fingerprint(ofPublicKey: Data(base64Encoded: manifest.signingKey) ?? Data())
            print("export \(manifest.exportId) is intact: \(manifest.files.count) file(s) match, signature by key \(fingerprint)"
                  + (trusted == nil ? " (not compared with an installation key)" : " (this installation's key)"))
            return
        }
        for problem in result.problems { FileHandle.standardError.write(Data("FAILED: \(problem)\n".utf8)) }
        throw ExitCode(1)
    }
}
