import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import Testing
import Vapor
import WebSocketKit

extension Application {
    /// Starts the app's HTTP server on a free loopback port and returns the port.
    public func startOnFreePort() async throws -> Int {
        http.server.configuration.hostname = "127.0.0.1"
        http.server.configuration.port = 0
        try await server.start(address: nil)
        return try #require(http.server.shared.localAddress?.port, "the server has no local address")
    }
}

/// A test's WebSocket to a live route of a running app, collecting the text messages it gets.
public final class LiveTextSocket: Sendable {
    private let socket = NIOLockedValueBox<WebSocket?>(nil)
    private let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    private init() {
        (stream, continuation) = AsyncStream<String>.makeStream()
    }

    /// Connects to `path` on `port`, signed in with `cookie` when given.
    public static func open(port: Int, path: String, cookie: String? = nil) async throws -> LiveTextSocket {
        let headers: HTTPHeaders = cookie.map { ["Cookie": "cw_session=\($0)"] } ?? [:]
        return try await open(url: "ws://127.0.0.1:\(port)\(path)", headers: headers, configuration: .init())
    }

    /// Connects to a `wss://` URL with `headers`, trusting only the certificate (or CA) in the PEM
    /// file `certificate`: a front such as nginx with a self-signed certificate. The client sends
    /// `Host` without the port (WebSocketKit's way), unlike a browser.
    public static func open(url: String, headers: HTTPHeaders, trusting certificate: String) async throws -> LiveTextSocket {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(certificate)
        return try await open(url: url, headers: headers, configuration: .init(tlsConfiguration: tls))
    }

    private static func open(url: String, headers: HTTPHeaders, configuration: WebSocketClient.Configuration) async throws -> LiveTextSocket {
        let live = LiveTextSocket()
        try await WebSocket.connect(to: url, headers: headers, configuration: configuration, on: MultiThreadedEventLoopGroup.singleton) { socket in
            live.socket.withLockedValue { $0 = socket }
            socket.onText { _, text in live.continuation.yield(text) }
            // The server may end the socket first (a refusal, a stopped stream): the messages end too.
            socket.onClose.whenComplete { _ in live.continuation.finish() }
        }
        return live
    }

    /// The next `count` messages (fewer if the socket ends first).
    public func next(_ count: Int) async -> [String] {
        var texts: [String] = []
        var iterator = stream.makeAsyncIterator()
        while texts.count < count, let text = await iterator.next() { texts.append(text) }
        return texts
    }

    /// Closes the socket unless the server has already (closing a closed channel is not a failure here).
    public func close() async throws {
        // A reader waiting for messages stops now, even if the server never answers the close.
        continuation.finish()
        if let socket = socket.withLockedValue({ $0 }), !socket.isClosed {
            do { try await socket.close() } catch where socket.isClosed {}
        }
    }
}
