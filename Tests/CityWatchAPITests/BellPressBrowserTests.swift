import AsyncHTTPClient
import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Crypto
import Fluent
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import Vapor

/// The bell → wall path in a real browser: the demo district records, a school gate's bell is
/// pressed over HTTP as the bell would, and the operator's console — showing the map — puts the
/// school's camera on the wall and plays it. The time from sending the press to the tile's
/// first picture is measured in the browser (`data-playing-at`) and printed for BENCHMARKS.md.
@Suite("Bell press to the wall in the browser", .serialized)
struct BellPressBrowserTests {
    let console = ConsoleBrowserTests()

    @Test(.enabled(if: MediaTools().available, "needs ffmpeg"), .timeLimit(.minutes(4)))
    func aPressedBellPutsItsCameraLiveOnTheOperatorsWall() async throws {
        try await withCityWatch(.sqlite) { app in
            let folder = try RepositoryPaths.temporaryFolder("bellwall")
            defer { try? FileManager.default.removeItem(at: folder) }
            var configuration = app.cityWatch.configuration
            configuration.recordingsDirectory = folder.appendingPathComponent("recordings").path
            let sealer = try CredentialSealer.load(base64: nil, folder: (configuration.dataDirectory as NSString).appendingPathComponent("keys"))
            let district = DemoDistrict(database: app.db, dataDirectory: folder.path)
            _ = try await district.prepare(sealer: sealer, clipSeconds: 10)
            let bells = try await district.prepareBells(sealer: sealer)
            #expect(bells.count == 3)
            let repository = BellPressRepository(database: app.db)
            var secrets: [String: String] = [:]
            for number in bells {
                let bell = try #require(try await repository.bell(number))
                secrets[number] = try sealer.open(try #require(try await repository.sealedSecret(bell: bell.id)))
            }
            let recording = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer)
            app.recording = recording
            try await whileRunning([recording]) {
                let password = "bell-watch-\(UUID().uuidString.prefix(8))"
                try await console.makeAdministrator(app, username: "bellwatch", password: password)
                try await console.withRunningServer(app) { site in
                    try await WebDriver.withBrowser { browser in
                        try await console.signIn(browser, at: site, username: "bellwatch", password: password)
                        try await waitUntil("the alarm feed is live", timeout: .seconds(20)) {
                            try await browser.execute("return document.getElementById('alarms-feed')?.dataset.state ?? null") == "live"
                        }
                        var latencies: [Double] = []
                        for number in bells {
                            let listing = try await BellDirectory(database: app.db).listing(bell: try #require(try await repository.bell(number)))
                            let camera = try #require(listing.cameras.first?.cameraID, "the demo bell \(number) has a camera that sees it")
                            // The camera records and has a picture to show before the bell is pressed.
                            try await RecordingServiceTests_eventually { recording.pipeline(for: camera)?.live.latestKeyframeClip() != nil }
                            // The operator is on the map, the wall empty: the worst case.
                            _ = try await browser.execute("localStorage.clear(); location.hash = '#map'; window.dispatchEvent(new CustomEvent('citywatch:wall')); return true")
                            try await Task.sleep(for: .milliseconds(300))
                            let sent = Date()
                            let answer = try await Self.press(site: site, bell: number, secret: try #require(secrets[number]))
                            #expect(answer == .accepted)
                            let selector = "#wall .wall-tile[data-camera='\(camera.uuidString)']"
                            try await waitUntil("the bell's camera plays on the wall", timeout: .seconds(30)) {
                                try await browser.execute("return document.querySelector(\"\(selector)\")?.dataset.playingAt ?? null").string != nil
                            }
                            let playingAt = try #require(Double(try await browser.execute("return document.querySelector(\"\(selector)\").dataset.playingAt").string ?? ""))
                            latencies.append(playingAt / 1_000 - sent.timeIntervalSince1970)
                            #expect(try await browser.execute("return location.hash") == "#wall")
                            #expect(try await browser.execute("return document.querySelector(\"\(selector) .tile-reason\")?.textContent ?? ''").string?.contains("비상벨") == true)
                        }
                        // Baseline in the same run: the wall's own start, the camera put in a tile directly (no bell, no server round trip).
                        var baselines: [Double] = []
                        for number in bells {
                            let listing = try await BellDirectory(database: app.db).listing(bell: try #require(try await repository.bell(number)))
                            let camera = try #require(listing.cameras.first?.cameraID).uuidString
                            let key = "Object.keys(localStorage).find((k) => k.startsWith('citywatch.wall.v1.'))"
                            _ = try await browser.execute("localStorage.setItem(\(key), JSON.stringify({layout: 4, tiles: []})); window.dispatchEvent(new CustomEvent('citywatch:wall')); return true")
                            try await Task.sleep(for: .milliseconds(300))
                            let started = try #require(try await browser.execute(
                                "const at = Date.now(); localStorage.setItem(\(key), JSON.stringify({layout: 4, tiles: [{id: '\(camera)', label: 'baseline'}]})); window.dispatchEvent(new CustomEvent('citywatch:wall')); return String(at)").string.flatMap(Double.init))
                            let selector = "#wall .wall-tile[data-camera='\(camera)']"
                            try await waitUntil("the camera plays when put on the wall directly", timeout: .seconds(30)) {
                                try await browser.execute("return document.querySelector(\"\(selector)\")?.dataset.playingAt ?? null").string != nil
                            }
                            let playingAt = try #require(Double(try await browser.execute("return document.querySelector(\"\(selector)\").dataset.playingAt").string ?? ""))
                            baselines.append((playingAt - started) / 1_000)
                        }
                        print("bell press → tile playing (browser), \(latencies.count) presses: " + latencies.map { String(format: "%.0f ms", $0 * 1_000) }.joined(separator: ", ")
                              + "; baseline, camera put on the wall directly: " + baselines.map { String(format: "%.0f ms", $0 * 1_000) }.joined(separator: ", "))
                        #expect(latencies.allSatisfy { $0 > 0 && $0 < 3 }, "press → tile \(latencies) s (target under 1 s; 3 s bound for a loaded CI machine)")
                        // The alarms are in the queue, critical, with the operator's console counting them.
                        let rows = try await browser.execute("return document.querySelectorAll('#alarm-queue .alarm-row[data-priority=critical][data-status=open]').length").int
                        #expect(rows == bells.count)
                    }
                }
            }
        }
    }

    /// Sends a signed press for `bell` as the bell would; answers the status.
    static func press(site: URL, bell: String, secret: String) async throws -> HTTPResponseStatus {
        let time = Int64(Date().timeIntervalSince1970)
        let nonce = UUID().uuidString
        var request = HTTPClientRequest(url: site.appendingPathComponent("api/bells/\(bell)/press").absoluteString)
        request.method = .POST
        request.headers.add(name: "X-Bell-Time", value: String(time))
        request.headers.add(name: "X-Bell-Nonce", value: nonce)
        request.headers.add(name: "X-Bell-Signature", value: BellPressService.signature(secret: secret, bell: bell, time: time, nonce: nonce, drill: false))
        return try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status
    }
}
