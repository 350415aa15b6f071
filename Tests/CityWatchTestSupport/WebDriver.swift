import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A headless Chromium driven through the W3C WebDriver protocol, for browser tests of the
/// console.
///
/// ``withBrowser(_:)`` starts `chromedriver` on a free loopback port, opens one session and
/// always cleans up after the body, whether it returns or throws: the session is deleted and
/// the driver process stopped. Commands are JSON over HTTP through AsyncHTTPClient (Foundation's
/// `URLSession` on Linux rejects chromedriver's `Name:value` headers, which have no space after
/// the colon); every failure is a ``WebDriverError`` naming the command and the driver's message.
public struct WebDriver: Sendable {
    /// The browser the session starts (Debian's `chromium` package).
    public static let chromiumPath = "/usr/bin/chromium"

    /// The `chromedriver` found on `PATH` (Debian's `chromium-driver` package), or nil.
    public static let chromedriverPath: String? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        return folders.map { "\($0)/chromedriver" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// True when both the browser and the driver are installed; browser tests skip themselves
    /// otherwise.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: chromiumPath) && chromedriverPath != nil
    }

    /// The arguments Chromium runs with: headless, no sandbox (containers), a fixed window.
    public static let chromiumArguments = [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1600,1000", "--disable-dev-shm-usage",
    ]

    /// A reference to an element of the page, as returned by ``findElement(_:)``.
    public struct Element: Sendable, Hashable {
        /// The driver's id for the element.
        public let id: String
    }

    /// One line of the browser's console.
    public struct LogEntry: Sendable, CustomStringConvertible {
        /// `SEVERE`, `WARNING`, `INFO` or `DEBUG`.
        public var level: String
        /// The text, prefixed by the script or URL it came from.
        public var message: String
        public var description: String { "\(level): \(message)" }
    }

    /// The W3C key under which an element reference travels.
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    /// `http://127.0.0.1:PORT/session/ID`.
    let session: URL

    /// Starts `chromedriver` and a Chromium session, runs `body` with it, then deletes the
    /// session and stops the driver — also when `body` throws.
    /// `extraArguments` go to Chromium after the usual ones (`--ignore-certificate-errors` for a
    /// test front's self-signed certificate).
    public static func withBrowser<T>(extraArguments: [String] = [], _ body: (WebDriver) async throws -> T) async throws -> T {
        let driver = try await ChromeDriverProcess.start()
        let result: Result<T, any Error>
        do {
            let browser = try await newSession(driver: driver, extraArguments: extraArguments)
            do {
                result = .success(try await body(browser))
            } catch {
                result = .failure(error)
            }
            _ = try? await browser.send("DELETE", "", nil, command: "delete session")
        } catch {
            result = .failure(error)
        }
        await driver.stop()
        return try result.get()
    }

    /// Opens a session on `driver` with the capabilities above (browser console logged).
    static func newSession(driver: ChromeDriverProcess, extraArguments: [String] = []) async throws -> WebDriver {
        let options: Value = [
            "binary": .string(chromiumPath),
            "args": .array((chromiumArguments + extraArguments).map(Value.string)),
        ]
        let capabilities: Value = [
            "browserName": "chrome", "goog:chromeOptions": options, "goog:loggingPrefs": ["browser": "ALL"],
        ]
        let answer = try await send("POST", driver.url.appendingPathComponent("session"),
                                    ["capabilities": ["alwaysMatch": capabilities]], command: "new session")
        guard let id = answer["sessionId"]?.string else {
            throw WebDriverError(command: "new session", code: "", message: "no sessionId in \(answer)")
        }
        return WebDriver(session: driver.url.appendingPathComponent("session/\(id)"))
    }

    /// Loads `url` and waits for the page's load event.
    public func navigate(to url: URL) async throws {
        try await send("POST", "/url", ["url": .string(url.absoluteString)], command: "navigate to \(url.absoluteString)")
    }

    /// The first element matching the CSS `selector`; throws `no such element` when none does.
    public func findElement(_ selector: String) async throws -> Element {
        let answer = try await send("POST", "/element", ["using": "css selector", "value": .string(selector)],
                                    command: "find element \(selector)")
        guard let id = answer[Self.elementKey]?.string else {
            throw WebDriverError(command: "find element \(selector)", code: "", message: "no element reference in \(answer)")
        }
        return Element(id: id)
    }

    /// Clicks `element` in its centre, as a user would.
    public func click(_ element: Element) async throws {
        try await send("POST", "/element/\(element.id)/click", [:], command: "click element \(element.id)")
    }

    /// Types `text` into `element`.
    public func sendKeys(_ text: String, to element: Element) async throws {
        try await send("POST", "/element/\(element.id)/value", ["text": .string(text)], command: "send keys to element \(element.id)")
    }

    /// Runs `script` (a function body; `arguments` are `arguments[0]`…) in the page and returns
    /// what it returns.
    @discardableResult
    public func execute(_ script: String, _ arguments: [Value] = []) async throws -> Value {
        try await send("POST", "/execute/sync", ["script": .string(script), "args": .array(arguments)],
                       command: "execute script \(script.prefix(80))")
    }

    /// Saves a PNG of the window to `file` (creating its folder) and returns its size in bytes.
    @discardableResult
    public func screenshot(to file: URL) async throws -> Int {
        let answer = try await send("GET", "/screenshot", nil, command: "take screenshot")
        guard let text = answer.string, let png = Data(base64Encoded: text) else {
            throw WebDriverError(command: "take screenshot", code: "", message: "the answer is not base64 data")
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try png.write(to: file)
        return png.count
    }

    /// The browser console's lines since the last call (chromedriver's `se/log` extension).
    public func browserLog() async throws -> [LogEntry] {
        let answer = try await send("POST", "/se/log", ["type": "browser"], command: "get browser log")
        return (answer.array ?? []).map {
            LogEntry(level: $0["level"]?.string ?? "", message: $0["message"]?.string ?? "")
        }
    }

    /// Sends one command of this session.
    @discardableResult
    func send(_ method: String, _ path: String, _ body: Value?, command: String) async throws -> Value {
        try await Self.send(method, path.isEmpty ? session : URL(string: session.absoluteString + path)!, body, command: command)
    }

    /// Sends one command and returns the `value` of the answer, or throws the driver's error.
    static func send(_ method: String, _ url: URL, _ body: Value?, command: String) async throws -> Value {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        }
        let status: UInt, data: ByteBuffer
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            status = response.status.code
            data = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw WebDriverError(command: command, code: "", message: "chromedriver unreachable: \(error)")
        }
        guard let answer = try? JSONDecoder().decode(Value.self, from: Data(data.readableBytesView)), let value = answer["value"] else {
            throw WebDriverError(command: command, code: "", message: "HTTP \(status): \(String(buffer: data).prefix(300))")
        }
        if let code = value["error"]?.string {
            let message = (value["message"]?.string ?? "").split(separator: "\n").first.map(String.init) ?? ""
            throw WebDriverError(command: command, code: code, message: message)
        }
        guard (200..<300).contains(status) else {
            throw WebDriverError(command: command, code: "", message: "HTTP \(status)")
        }
        return value
    }
}

extension WebDriver {
    /// A JSON value as WebDriver carries it: command bodies, script arguments and results.
    public enum Value: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral,
        ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Value])
        case object([String: Value])

        public init(stringLiteral value: String) { self = .string(value) }
        public init(integerLiteral value: Int) { self = .number(Double(value)) }
        public init(booleanLiteral value: Bool) { self = .bool(value) }
        public init(arrayLiteral elements: Value...) { self = .array(elements) }
        public init(dictionaryLiteral elements: (String, Value)...) { self = .object(Dictionary(uniqueKeysWithValues: elements)) }

        /// The text, when this is a string.
        public var string: String? { if case .string(let text) = self { text } else { nil } }
        /// The number, when this is a whole number (or a string holding one, as `dataset` values do).
        public var int: Int? {
            switch self {
            case .number(let number): Int(exactly: number)
            case .string(let text): Int(text)
            default: nil
            }
        }
        /// The number, when this is one.
        public var double: Double? { if case .number(let number) = self { number } else { nil } }
        /// The elements, when this is an array.
        public var array: [Value]? { if case .array(let elements) = self { elements } else { nil } }
        /// The member `key`, when this is an object that has it.
        public subscript(key: String) -> Value? { if case .object(let members) = self { members[key] } else { nil } }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else if let text = try? container.decode(String.self) { self = .string(text) }
            else if let elements = try? container.decode([Value].self) { self = .array(elements) }
            else { self = .object(try container.decode([String: Value].self)) }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .null: try container.encodeNil()
            case .bool(let bool): try container.encode(bool)
            case .number(let number): try container.encode(number)
            case .string(let text): try container.encode(text)
            case .array(let elements): try container.encode(elements)
            case .object(let members): try container.encode(members)
            }
        }

        public var description: String {
            (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        }
    }
}

/// A WebDriver command that failed, or a condition that did not come true in time.
public struct WebDriverError: Error, CustomStringConvertible {
    /// What was asked, e.g. `find element #map` or `wait until the map has loaded`.
    public var command: String
    /// The W3C error code (`no such element`, `timeout`…), or empty when there was none.
    public var code: String
    /// The driver's message (its first line), or what went wrong around it.
    public var message: String

    public var description: String {
        "WebDriver \(command) failed" + (code.isEmpty ? "" : " (\(code))") + ": \(message)"
    }
}

/// Polls `condition` until it is true, at most `timeout` long; throws a ``WebDriverError``
/// with code `timeout` naming `what` (and the condition's last error, if any) otherwise.
///
/// Use it for anything the page does in its own time, instead of a fixed sleep.
public func waitUntil(
    _ what: String, timeout: Duration = .seconds(15), pollingEvery interval: Duration = .milliseconds(100),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    var lastError: (any Error)?
    while true {
        do {
            if try await condition() { return }
            lastError = nil
        } catch {
            lastError = error
        }
        guard clock.now < deadline else { break }
        try await clock.sleep(for: interval)
    }
    throw WebDriverError(command: "wait until \(what)", code: "timeout",
                         message: "not true after \(timeout)" + (lastError.map { "; last error: \($0)" } ?? ""))
}

/// The `chromedriver` process behind a session: started on a free loopback port, stopped at
/// the end of ``WebDriver/withBrowser(_:)``.
///
/// The driver and the browser it launches get a folder of their own as `TMPDIR` (profile,
/// sockets, the driver's log), removed when the driver stops, so no run leaves files or
/// processes behind.
final class ChromeDriverProcess: Sendable {
    let url: URL
    let process: Process
    let folder: URL
    var logFile: URL { folder.appendingPathComponent("chromedriver.log") }

    private init(url: URL, process: Process, folder: URL) {
        self.url = url
        self.process = process
        self.folder = folder
    }

    /// Starts the driver and waits until its `/status` says it is ready.
    static func start() async throws -> ChromeDriverProcess {
        guard let path = WebDriver.chromedriverPath else {
            throw WebDriverError(command: "start chromedriver", code: "", message: "chromedriver is not on PATH")
        }
        let port = try freeLoopbackPort()
        let folder = try RepositoryPaths.temporaryFolder("chromedriver")
        let process = Process()
        let driver = ChromeDriverProcess(url: URL(string: "http://127.0.0.1:\(port)")!, process: process, folder: folder)
        _ = FileManager.default.createFile(atPath: driver.logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: driver.logFile)
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--port=\(port)"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": folder.path]) { $1 }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            defer { try? log.close() }
            try process.run()
            try await waitUntil("chromedriver on port \(port) is ready", timeout: .seconds(15)) {
                guard process.isRunning else { return true }
                return try await WebDriver.send("GET", driver.url.appendingPathComponent("status"), nil, command: "status")["ready"] == true
            }
            guard process.isRunning else {
                throw WebDriverError(command: "start chromedriver", code: "", message: "it exited: \(driver.logTail())")
            }
        } catch {
            await driver.stop()
            throw error
        }
        return driver
    }

    /// Stops the driver (SIGTERM, then SIGKILL if it is still running after five seconds) and
    /// removes its folder.
    func stop() async {
        if process.isRunning {
            process.terminate()
            try? await waitUntil("chromedriver has exited", timeout: .seconds(5), pollingEvery: .milliseconds(50)) { !process.isRunning }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        killOrphanedBrowsers()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Kills browser processes this driver launched that outlived it: chromedriver leaves the
    /// browser running when the session was not deleted (a test cancelled mid-command). They
    /// are found by their profile, which lies in `folder`.
    private func killOrphanedBrowsers() {
        #if os(Linux)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let commandLine = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                  String(decoding: commandLine, as: UTF8.self).contains(folder.path) else { continue }
            kill(pid, SIGKILL)
        }
        #endif
    }

    /// The last lines the driver wrote, for error messages.
    func logTail() -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(5).joined(separator: " | ")
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now (bound to port 0, then released).
    static func freeLoopbackPort() throws -> Int {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw WebDriverError(command: "find a free port", code: "", message: "socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw WebDriverError(command: "find a free port", code: "", message: "bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
