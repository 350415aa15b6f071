import ArgumentParser
import AsyncHTTPClient
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchStore
import Fluent
import Foundation
import NIOCore
import NIOHTTP1

/// The sealer of the data folder (or `CITYWATCH_CREDENTIALS_KEY`), as the server uses it.
func storeSealer(_ configuration: Configuration) throws -> CredentialSealer {
    try CredentialSealer.load(base64: configuration.credentialsKey, folder: (configuration.dataDirectory as NSString).appendingPathComponent("keys"))
}

/// `citywatch bells key`.
struct BellsKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Issue a bell's press secret (replacing its old one) and print it once.",
        discussion: """
        The bell (or its gateway) signs each press with this secret: POST /api/bells/<key>/press \
        with headers X-Bell-Time (Unix seconds), X-Bell-Nonce (16–64 letters, digits, - or _, new for every press), \
        X-Bell-Mode (live or drill) and X-Bell-Signature, the hex HMAC-SHA256 keyed with the secret of the lines \
        "citywatch-bell-press", the key, the time, the nonce and the mode, joined by newlines. \
        The key is the bell's 관리번호, or its 안전비상벨관리번호 when its file had no 관리번호 (`bells list` shows it); \
        a bell re-keyed by 관리번호 may go on pressing and signing by its old key. \
        The secret is stored sealed with the installation's credentials key.
        """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "The bell's key (관리번호, else 안전비상벨관리번호; see `bells list`) or id.")
    var bell: String

    func run() async throws {
        let configuration = try store.resolve()
        let sealer = try storeSealer(configuration)
        let reference = bell
        let (found, secret) = try await withStore(configuration) { app in
            do {
                return try await BellPressService(database: app.db, center: AlarmCenter(), sealer: sealer).issueSecret(bell: reference, by: commandLineActor)
            } catch let refusal as BellPressRules.Refusal { throw ValidationError(refusal.description) }
        }
        print("Bell \(found.record.key) (\(found.record.displayAddress)) press secret — shown only now; put it in the bell's gateway:")
        print(secret)
    }
}

/// `citywatch bells press`.
struct BellsPressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "press",
        abstract: "Press a bell: send a signed press to a running server, as the bell would.",
        discussion: "For testing a bell's link end to end and for training. Without --secret the bell's secret is read from the store (same data folder and credentials key as the server).")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The bell's key (관리번호, else 안전비상벨관리번호; see `bells list`) or id.")
    var bell: String

    @Flag(help: "Mark the press as a drill (the bell's training mode).")
    var drill = false

    @Option(help: ArgumentHelp("The server to press at.", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("The bell's secret (default: read from the store).", valueName: "secret"))
    var secret: String?

    @Option(help: ArgumentHelp("Seconds to wait for the server's answer.", valueName: "seconds"))
    var timeout = 10

    func validate() throws {
        guard (1...300).contains(timeout) else { throw ValidationError("--timeout must be 1–300 seconds") }
    }

    func run() async throws {
        let configuration = try store.resolve()
        let reference = bell
        var secret = self.secret
        // The name pressed and signed: the bell's key when it is read from the store, else as given.
        var number = bell
        if secret == nil {
            let sealer = try storeSealer(configuration)
            (number, secret) = try await withStore(configuration) { app in
                let repository = BellPressRepository(database: app.db)
                guard let found = try await repository.bell(reference) else { throw ValidationError("no bell '\(reference)'") }
                guard let sealed = try await repository.sealedSecret(bell: found.id) else {
                    throw ValidationError(BellPressRules.Refusal.noSecret(found.record.key).description)
                }
                return (found.record.key, try sealer.open(sealed))
            }
        }
        let base = server ?? "http://127.0.0.1:\(configuration.httpPort)"
        let time = Int64(Date().timeIntervalSince1970)
        let nonce = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var request = HTTPClientRequest(url: "\(base.hasSuffix("/") ? String(base.dropLast()) : base)/api/bells/\(number.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? number)/press")
        request.method = .POST
        request.headers.add(name: "X-Bell-Time", value: String(time))
        request.headers.add(name: "X-Bell-Nonce", value: nonce)
        request.headers.add(name: "X-Bell-Mode", value: drill ? "drill" : "live")
        request.headers.add(name: "X-Bell-Signature", value: BellPressService.signature(secret: secret ?? "", bell: number, time: time, nonce: nonce, drill: drill))
        let response: HTTPClientResponse
        do { response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(timeout))) } catch {
            throw ValidationError("could not reach \(base): \(error). Is `citywatch serve` running there? (--server URL)")
        }
        let body = String(buffer: try await response.body.collect(upTo: 64 * 1024))
        guard response.status == .accepted else { throw ValidationError("the server refused the press (\(response.status.code)): \(body)") }
        print("Pressed bell \(number)\(drill ? " (drill)" : ""): \(body)")
    }
}

/// `citywatch bells drill`.
struct BellsDrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Open a drill window: presses of the bell (or of every bell) are drills until it ends.",
        discussion: "Drills raise their alarms and put their cameras on the walls like real presses, marked 훈련 DRILL, and are kept out of the alarm statistics.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The bell's key (관리번호, else 안전비상벨관리번호) or id; leave out with --all.")
    var bell: String?

    @Flag(help: "Every bell.")
    var all = false

    @Option(help: ArgumentHelp("How long the drill lasts.", valueName: "minutes"))
    var minutes = 60

    @Option(help: "What the drill is (shown to operators).")
    var note = ""

    func validate() throws {
        guard (bell == nil) == all else { throw ValidationError("name one bell or give --all") }
    }

    func run() async throws {
        let configuration = try store.resolve()
        let sealer = try storeSealer(configuration)
        let (reference, minutes, note) = (bell, minutes, note)
        let window = try await withStore(configuration) { app in
            do {
                return try await BellPressService(database: app.db, center: AlarmCenter(), sealer: sealer)
                    .scheduleDrill(bell: reference, minutes: minutes, note: note, by: commandLineActor)
            } catch let refusal as BellPressRules.Refusal { throw ValidationError(refusal.description) } catch let problem as BellDrillProblem {
                throw ValidationError(problem.description)
            }
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = TimeZone(identifier: "Asia/Seoul")
        print("Drill for \(reference ?? "every bell") until \(formatter.string(from: window.until)) KST.")
    }
}
