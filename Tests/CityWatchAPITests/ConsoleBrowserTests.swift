import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import ServiceLifecycle
import Logging
import Crypto
import CityWatchMedia
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import NIOCore
import Testing
import Vapor

/// The console in a real browser: a headless Chromium signs in through the login form and
/// uses the map against a running server that holds Gangnam's real registry.
@Suite(
    "Console in a browser", .serialized,
    .enabled(if: WebDriver.isAvailable, "needs \(WebDriver.chromiumPath) and chromedriver on PATH (CI installs both)")
)
struct ConsoleBrowserTests {
    /// Gangnam's registry: one site per row, 1,162 of them 생활방범.
    static let gangnamSites = 1_699
    static let gangnamCameras = 4_387
    static let gangnamCrimePreventionSites = 1_162

    /// Where the map screenshot goes, for people (and CI artefacts) to look at.
    static let screenshot = RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-map.png")

    @Test(.timeLimit(.minutes(1)))
    func adminSignsInAndSeesEveryCameraOnTheMapWithPurposeFilter() async throws {
        try await withCityWatch(.sqlite) { app in
            let report = try await RegistryImporter(database: app.db)
                .importFile(at: RepositoryPaths.gangnamRegistry.path, actor: "test")
            try #require(report.sites == Self.gangnamSites && report.cameras == Self.gangnamCameras,
                         "import: \(report.sites) sites, \(report.cameras) cameras")
            let password = "map-watch-\(UUID().uuidString.prefix(8))"
            try await makeAdministrator(app, username: "mapadmin", password: password)

            try await withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await signIn(browser, at: site, username: "mapadmin", password: password)
                    try await checkMap(browser)
                    let bytes = try await browser.screenshot(to: Self.screenshot)
                    #expect(bytes > 20_000, "screenshot \(Self.screenshot.path) is only \(bytes) bytes")
                    // The console asks GET /api/session at boot; its 401 before signing in is expected.
                    let problems = try await browser.browserLog().filter {
                        $0.level == "SEVERE" && !($0.message.contains("/api/session") && $0.message.contains("401"))
                    }
                    #expect(problems.isEmpty, "browser console errors: \(problems)")
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func mapShowsTwentyThousandCamerasAndStaysResponsive() async throws {
        try await withCityWatch(.sqlite) { app in
            let file = try RepositoryPaths.temporaryFolder("large").appendingPathComponent("registry.csv")
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            var generator = RegistryFileGenerator(rows: 6_700)
            while try generator.write(to: file.path) < 20_000 { generator.rows += 100 }
            let report = try await RegistryImporter(database: app.db).importFile(at: file.path, actor: "test")
            try #require(report.cameras >= 20_000 && report.badRowCount == 0)
            let password = "map-watch-\(UUID().uuidString.prefix(8))"
            try await makeAdministrator(app, username: "bigmap", password: password)
            try await withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await signIn(browser, at: site, username: "bigmap", password: password)
                    let start = ContinuousClock.now
                    try await browser.click(browser.findElement("#main-nav a[data-view=map]"))
                    try await waitUntil("the map has loaded", timeout: .seconds(60)) {
                        try await browser.execute("return document.getElementById('map')?.dataset.ready ?? null") == "true"
                    }
                    let loaded = ContinuousClock.now - start
                    #expect(try await markerCount(browser) == report.sites)
                    // Filtering all 20,000 cameras must answer at interactive speed.
                    let filterStart = ContinuousClock.now
                    try await browser.click(browser.findElement("#legend input[name=purpose][value=crimePrevention]"))
                    _ = try await markerCount(browser, after: report.sites)
                    let filtered = ContinuousClock.now - filterStart
                    print("console with \(report.cameras) cameras (\(report.sites) sites): map ready in \(loaded), purpose filter in \(filtered)")
                    #expect(loaded < .seconds(30) && filtered < .seconds(10))
                }
            }
        }
    }

    @Test(.enabled(if: MediaTools().available, "needs ffmpeg"), .timeLimit(.minutes(4)))
    func wallShowsEveryDemoCameraLive() async throws {
        try await withCityWatch(.sqlite) { app in
            let folder = try RepositoryPaths.temporaryFolder("wall")
            defer { try? FileManager.default.removeItem(at: folder) }
            var configuration = app.cityWatch.configuration
            configuration.dataDirectory = folder.path
            configuration.recordingsDirectory = folder.appendingPathComponent("recordings").path
            let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
            let cameras = try await DemoDistrict(database: app.db, dataDirectory: folder.path).prepare(sealer: sealer, clipSeconds: 10)
            #expect(cameras.count == 16)
            let recording = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer)
            app.recording = recording
            let group = ServiceGroup(configuration: .init(services: [.init(service: recording)], logger: Logger(label: "test")))
            let running = Task { try await group.run() }
            let password = "wall-watch-\(UUID().uuidString.prefix(8))"
            try await makeAdministrator(app, username: "wallboss", password: password)
            try await withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await signIn(browser, at: site, username: "wallboss", password: password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=wall]"))
                    try await browser.click(browser.findElement("#wall-layout input[name=layout][value='16']"))
                    try await waitUntil("the camera list", timeout: .seconds(20)) {
                        try await browser.execute("return document.querySelectorAll('#wall-cameras-list .camera-pick').length").int == 16
                    }
                    _ = try await browser.execute("document.querySelectorAll('#wall-cameras-list .camera-pick').forEach((b) => b.click()); return true")
                    try await waitUntil("sixteen live tiles", timeout: .seconds(90)) {
                        try await browser.execute("return document.querySelectorAll('#wall .wall-tile[data-state=playing]').length").int == 16
                    }
                    let bytes = try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-wall.png"))
                    #expect(bytes > 20_000)
                }
            }
            try await RecordingServiceTests_eventually { try await AuditLog(database: app.db).list(.init(action: "video.live.end")).count == 16 }
            await group.triggerGracefulShutdown()
            try await running.value
            #expect(try await AuditLog(database: app.db).list(.init(action: "video.live.start")).count == 16)
        }
    }

    /// Opens the console, fills the login form and waits for the main screen.
    func signIn(_ browser: WebDriver, at site: URL, username: String, password: String) async throws {
        try await browser.navigate(to: site)
        try await waitUntil("the login form is shown") {
            try await browser.execute("return document.querySelector('#login-form #password') !== null") == true
        }
        try await browser.sendKeys(username, to: browser.findElement("#login-form #username"))
        try await browser.sendKeys(password, to: browser.findElement("#login-form #password"))
        try await browser.click(browser.findElement("#login-form button[type=submit]"))
        try await waitUntil("the main screen is shown after signing in") {
            try await browser.execute("return document.getElementById('main-nav') !== null") == true
        }
    }

    /// Goes to the map, checks every site is on it, and that the 생활방범 legend entry hides
    /// and shows exactly its sites.
    func checkMap(_ browser: WebDriver) async throws {
        try await browser.click(browser.findElement("#main-nav a[data-view=map]"))
        try await waitUntil("the map has loaded", timeout: .seconds(20)) {
            try await browser.execute("return document.getElementById('map')?.dataset.ready ?? null") == "true"
        }
        #expect(try await markerCount(browser) == Self.gangnamSites)
        let everything = try await visibleClusters(browser)
        #expect(everything.icons > 0, "no cluster or marker icon inside the map")
        #expect((1...Self.gangnamSites).contains(everything.sites), "clusters hold \(everything.sites) sites")

        let crimePrevention = try await browser.findElement("#legend input[name=purpose][value=crimePrevention]")
        try await browser.click(crimePrevention)
        let filtered = try await markerCount(browser, after: Self.gangnamSites)
        #expect(filtered == Self.gangnamSites - Self.gangnamCrimePreventionSites)
        #expect(try await visibleClusters(browser).sites <= (filtered ?? 0))

        try await browser.click(crimePrevention)
        #expect(try await markerCount(browser, after: filtered) == Self.gangnamSites)
    }

    /// The map's `data-marker-count`; with `after`, first waits until it is no longer that.
    func markerCount(_ browser: WebDriver, after previous: Int? = nil) async throws -> Int? {
        let read = "return document.getElementById('map').dataset.markerCount ?? null"
        if let previous {
            try await waitUntil("the marker count changes from \(previous)") {
                try await browser.execute(read).int != previous
            }
        }
        return try await browser.execute(read).int
    }

    /// Cluster and marker icons drawn inside the map's box, and the sites their labels count.
    func visibleClusters(_ browser: WebDriver) async throws -> (icons: Int, sites: Int) {
        let answer = try await browser.execute("""
            const box = document.getElementById('map').getBoundingClientRect();
            const icons = [...document.querySelectorAll('#map .marker-cluster, #map .leaflet-marker-icon')].filter((icon) => {
              const r = icon.getBoundingClientRect();
              return r.width > 0 && r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
            });
            return { icons: icons.length, sites: icons.reduce((sum, icon) => sum + (parseInt(icon.textContent, 10) || 0), 0) };
            """)
        return (answer["icons"]?.int ?? 0, answer["sites"]?.int ?? 0)
    }

    /// Adds an administrator who can sign in with `password` straight away.
    func makeAdministrator(_ app: Application, username: String, password: String) async throws {
        let accounts = Accounts(database: app.db, hasher: app.cityWatch.hasher)
        let (user, _) = try await accounts.createUser(username: username, role: .administrator, actor: "test")
        user.passwordHash = try await app.cityWatch.hasher.hash(password)
        user.mustChangePassword = false
        try await user.update(on: app.db)
    }

    /// Serves `app` over HTTP on a free loopback port (port 0: the system picks) while `body`
    /// runs, then shuts the server down, also when `body` throws.
    func withRunningServer<T>(_ app: Application, _ body: (URL) async throws -> T) async throws -> T {
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.server.start(address: nil)
        let result: Result<T, any Error>
        do {
            let port = try #require(app.http.server.shared.localAddress?.port, "the server has no local address")
            result = .success(try await body(URL(string: "http://127.0.0.1:\(port)/")!))
        } catch {
            result = .failure(error)
        }
        await app.server.shutdown()
        return try result.get()
    }
}

/// Polls `condition` until it holds or 20 s have passed.
func RecordingServiceTests_eventually(_ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(200))
    }
    Issue.record("condition not met within 20 s")
}
