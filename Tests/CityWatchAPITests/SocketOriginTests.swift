import CityWatchAPI
import CityWatchDomain
import CityWatchTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing
import Vapor
import WebSocketKit

/// A page of another site cannot open a live feed with the user's cookie: the WebSocket
/// handshake's `Origin` must be the server's own (cross-site WebSocket hijacking).
@Suite("WebSocket origins")
struct SocketOriginTests {
    /// Whether a handshake to `path` with `origin` (none when nil) was accepted.
    static func opens(port: Int, path: String, cookie: String, origin: String?) async -> Bool {
        var headers: HTTPHeaders = ["Cookie": "cw_session=\(cookie)"]
        if let origin { headers.add(name: .origin, value: origin) }
        do {
            try await WebSocket.connect(to: "ws://127.0.0.1:\(port)\(path)", headers: headers, on: MultiThreadedEventLoopGroup.singleton) { socket in
                _ = socket.close()
            }.get()
            return true
        } catch {
            return false
        }
    }

    @Test func aLiveFeedOpensFromTheConsolesOwnOriginOnly() async throws {
        try await withCityWatch(.sqlite) { app in
            let admin = try await app.signIn(as: .administrator)
            let port = try await app.startOnFreePort()
            for path in ["/api/alarms/live", "/api/events/live"] {
                // This client's Host header carries no port (a browser's does: the console tests open
                // their feeds from http://127.0.0.1:PORT), so its own origin is written without one.
                #expect(await Self.opens(port: port, path: path, cookie: admin.cookie, origin: "http://127.0.0.1"), "\(path) from the console")
                #expect(!(await Self.opens(port: port, path: path, cookie: admin.cookie, origin: "http://127.0.0.1:1")), "\(path) from another port")
                #expect(await Self.opens(port: port, path: path, cookie: admin.cookie, origin: nil), "\(path) from a program (no browser, no Origin)")
                #expect(!(await Self.opens(port: port, path: path, cookie: admin.cookie, origin: "https://evil.example")), "\(path) from another site")
                #expect(!(await Self.opens(port: port, path: path, cookie: admin.cookie, origin: "null")), "\(path) from a page without an origin")
            }
            await app.server.shutdown()
        }
    }
}
