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

    // Two minutes: it imports the whole Gangnam registry first, while the rest of the suite runs beside it.
    @Test(.timeLimit(.minutes(2)))
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
            try await whileRunning([recording]) {
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
            }
            #expect(try await AuditLog(database: app.db).list(.init(action: "video.live.start")).count == 16)
        }
    }

    /// The analytics round trip in the console: an operator draws an intrusion zone over a
    /// recorded synthetic camera's snapshot, saves it, and the event the intruder then raises
    /// arrives in the Events view live, snapshot included, and is acknowledged there. The camera
    /// is wide (8:3): its event snapshot keeps that shape (analysis frames are 16:9) with the
    /// object boxes where the event puts them.
    @Test(.enabled(if: MediaTools().available, "needs ffmpeg"), .timeLimit(.minutes(4)))
    func zoneDrawnInTheEditorRaisesAnEventThatIsAcknowledgedInTheEventsView() async throws {
        let folder = try RepositoryPaths.temporaryFolder("events")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (width, height) = (960.0, 360.0)
        let scene = try BuiltInScene.intrusion.scene(.init(width: Int(width), height: Int(height), fps: 10))
        let clip = try await SyntheticClipWriter().write(scene, to: folder, name: "intrusion")
        let area = try #require(scene.zones.first?.area)
        // The restricted area's corners as fractions of the picture, clockwise from top left.
        let corners: [(Double, Double)] = [
            (Double(area.x) / width, Double(area.y) / height), (Double(area.maxX) / width, Double(area.y) / height),
            (Double(area.maxX) / width, Double(area.maxY) / height), (Double(area.x) / width, Double(area.maxY) / height),
        ]
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
            try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: clip.video.path, loop: true), for: camera,
                                                                      sealer: sealer, now: Date())
            var configuration = app.cityWatch.configuration
            configuration.dataDirectory = folder.path
            configuration.recordingsDirectory = folder.appendingPathComponent("recordings").path
            configuration.segmentSeconds = 10
            let recording = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer)
            let analytics = AnalyticsService(database: { app.db }, recording: recording, dataDirectory: folder.path)
            app.recording = recording
            app.analytics = analytics
            let acknowledged = try await whileRunning([recording, analytics]) {
                let password = "event-watch-\(UUID().uuidString.prefix(8))"
                try await makeAdministrator(app, username: "nightshift", password: password)
                return try await acknowledgeDrawnIntrusion(app, camera: camera, corners: corners, pictureAspect: width / height, password: password)
            }
            let eventID = try #require(UUID(uuidString: acknowledged))
            let stored = try #require(try await AnalyticsRepository(database: app.db).event(eventID))
            #expect(stored.event.acknowledgedBy == "nightshift" && stored.event.note == "순찰 확인 patrol checked")
        }
    }

    /// Signs in as `nightshift`, draws the zone at `corners` on the camera's snapshot and saves
    /// it, then waits in the Events view for the intrusion, checks its snapshot has the camera's
    /// shape (`pictureAspect`) and acknowledges it; returns its id.
    func acknowledgeDrawnIntrusion(_ app: Application, camera: UUID, corners: [(Double, Double)], pictureAspect: Double,
                                   password: String) async throws -> String {
        let id = camera.uuidString
        return try await withRunningServer(app) { site in
            try await WebDriver.withBrowser { browser in
                try await signIn(browser, at: site, username: "nightshift", password: password)
                try await browser.execute("location.hash = arguments[0]; return true", [.string("#rules?camera=\(id)")])
                try await waitUntil("the rule editor for the camera") {
                    try await browser.execute("return document.querySelector('#rule-editor:not([hidden])')?.dataset.camera ?? null").string == id
                }
                // The recorder needs a keyframe before there is a snapshot; ask again until there is.
                var pictureNote = ""
                do {
                    try await waitUntil("the camera's snapshot under the drawing", timeout: .seconds(60), pollingEvery: .seconds(1)) {
                        let state = try await browser.execute("""
                            if ((document.querySelector('#rule-canvas img.rule-picture')?.naturalWidth ?? 0) > 0) return 'loaded';
                            const note = document.getElementById('rule-picture-note');
                            if (!note.hidden) document.getElementById('rule-picture-refresh').click();
                            return note.textContent;
                            """)
                        pictureNote = state.string ?? ""
                        return pictureNote == "loaded"
                    }
                } catch {
                    Issue.record("no snapshot in the rule editor: '\(pictureNote)'; browser log: \(try await browser.browserLog())")
                    throw error
                }
                try await browser.click(browser.findElement("button[data-add-kind=intrusion]"))
                let placed = try await browser.execute("""
                    const canvas = document.getElementById('rule-canvas');
                    const box = canvas.getBoundingClientRect();
                    for (const [x, y] of arguments[0]) {
                      canvas.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: box.left + x * box.width, clientY: box.top + y * box.height }));
                    }
                    return document.querySelectorAll('#rule-canvas .rule-drawing-point').length;
                    """, [.array(corners.map { .array([.number($0.0), .number($0.1)]) })])
                #expect(placed.int == 4)
                try await browser.click(browser.findElement("#rule-draw-done"))
                try await browser.execute("document.getElementById('rule-name').value = ''; return true")
                try await browser.sendKeys("정문 restricted", to: browser.findElement("#rule-name"))
                try await browser.click(browser.findElement("#rule-save"))
                try await waitUntil("the rules are saved") {
                    try await browser.execute("return document.querySelector('#rule-status.message-ok') !== null") == true
                }
                #expect(try await browser.execute("return document.querySelectorAll('#rule-list .rule-row[data-kind=intrusion]').length").int == 1)
                let saved = try await AnalyticsRepository(database: app.db).settings(for: camera)
                let rule = try #require(saved.rules.first)
                #expect(rule.name == "정문 restricted" && rule.kind.name == "intrusion")
                for (point, corner) in zip(rule.kind.zone.points, corners) {
                    #expect(abs(point.x - corner.0) < 0.01 && abs(point.y - corner.1) < 0.01, "corner \(point) drawn for \(corner)")
                }

                try await browser.click(browser.findElement("#main-nav a[data-view=events]"))
                let row = ".event-row[data-kind=intrusion]"
                try await waitUntil("an intrusion event with its snapshot", timeout: .seconds(90), pollingEvery: .milliseconds(500)) {
                    try await browser.execute("""
                        const image = document.querySelector('#events-list \(row) .event-snapshot img');
                        return image !== null && image.complete && image.naturalWidth > 0;
                        """) == true
                }
                #expect(try await browser.execute("return document.querySelector('#events-list \(row)').dataset.acknowledged").string == "false")
                #expect(try await browser.execute("return document.querySelector('#events-list \(row) .event-box') !== null") == true)
                #expect(try await browser.execute("return document.querySelector('#main-nav a[data-view=events] .nav-badge')?.textContent ?? ''").int ?? 0 >= 1)
                let eventID = try #require(try await browser.execute("return document.querySelector('#events-list \(row)').dataset.event").string)
                try await checkSnapshotShape(browser, app: app, eventID: eventID, pictureAspect: pictureAspect)
                try await browser.sendKeys("순찰 확인 patrol checked", to: browser.findElement("#events-list \(row) .event-note"))
                try await browser.click(browser.findElement("#events-list \(row) .event-acknowledge"))
                try await waitUntil("the event is marked acknowledged") {
                    try await browser.execute("return document.querySelector(`#events-list .event-row[data-event='${arguments[0]}']`).dataset.acknowledged",
                                              [.string(eventID)]).string == "true"
                }
                try await checkTamperNoticeInKoreanTime(app, browser, camera: camera)
                let bytes = try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-events.png"))
                #expect(bytes > 20_000)
                // 409s are the snapshot asked for before the first keyframe; 401 is the boot's session check.
                let problems = try await browser.browserLog().filter {
                    $0.level == "SEVERE" && !($0.message.contains("/api/session") && $0.message.contains("401"))
                        && !($0.message.contains("/snapshot") && $0.message.contains("409"))
                }
                #expect(problems.isEmpty, "browser console errors: \(problems)")
                try await checkRuleProblemShown(browser, camera: id)
                try await checkAnalysisInCameraDetail(browser, camera: id)
                return eventID
            }
        }
    }

    /// A tamper change pushed while the Events view is open becomes a maintenance notice whose
    /// time is the control room's (KST), whatever time zone the browser runs in.
    func checkTamperNoticeInKoreanTime(_ app: Application, _ browser: WebDriver, camera: UUID) async throws {
        let at = Date(timeIntervalSince1970: 1_764_925_449)   // 09:04:09 UTC, 18:04:09 in Seoul
        let hub = try #require(app.analytics?.hub)
        hub.publish(.tamper(cameraID: camera, state: "moved", at: at, detail: "normal → moved at 2025-12-05 18:04:09 KST (shift px 20.0)"))
        var shown = ""
        do {
            try await waitUntil("the maintenance notice shows its time in KST") {
                shown = try await browser.execute("return document.querySelector(`.tamper-notice[data-camera='${arguments[0]}'] time`)?.textContent ?? ''",
                                                  [.string(camera.uuidString)]).string ?? ""
                return shown == "2025-12-05 18:04:09 KST"
            }
        } catch {
            Issue.record("the notice's time reads '\(shown)'")
            throw error
        }
    }

    /// The event's snapshot has the camera's shape on screen and in its pixels, and each box
    /// drawn over it covers the part of the picture the stored event names.
    func checkSnapshotShape(_ browser: WebDriver, app: Application, eventID: String, pictureAspect: Double) async throws {
        let measured = try await browser.execute("""
            const image = document.querySelector(`#events-list .event-row[data-event='${arguments[0]}'] .event-snapshot img`);
            const picture = image.getBoundingClientRect();
            const boxes = [...image.parentElement.querySelectorAll('.event-box')].map((box) => {
              const r = box.getBoundingClientRect();
              return [(r.left - picture.left) / picture.width, (r.top - picture.top) / picture.height,
                      r.width / picture.width, r.height / picture.height];
            });
            return { natural: image.naturalWidth / image.naturalHeight, shown: picture.width / picture.height,
                     frameHeight: image.parentElement.getBoundingClientRect().height, pictureHeight: picture.height, boxes };
            """, [.string(eventID)])
        func number(_ value: WebDriver.Value?) -> Double { if case .number(let number)? = value { number } else { .nan } }
        #expect(abs(number(measured["natural"]) - pictureAspect) < 0.05, "snapshot pixels \(measured)")
        #expect(abs(number(measured["shown"]) - pictureAspect) < 0.05, "snapshot on screen \(measured)")
        #expect(abs(number(measured["frameHeight"]) - number(measured["pictureHeight"])) <= 2, "boxes are placed over the picture alone")
        let id = try #require(UUID(uuidString: eventID))
        let stored = try #require(try await AnalyticsRepository(database: app.db).event(id)).event.boxes
        let drawn = measured["boxes"]?.array ?? []
        #expect(!stored.isEmpty && drawn.count == stored.count)
        for (box, expected) in zip(drawn, stored) {
            let fractions = (box.array ?? []).map(number)
            for (shown, wanted) in zip(fractions, [expected.x, expected.y, expected.width, expected.height]) {
                #expect(abs(shown - wanted) < 0.02, "box drawn at \(fractions), the event's is \(expected)")
            }
        }
    }

    /// Back in the rule editor: a tripwire with a negative cool-down is refused by the server,
    /// whose reason appears by Save with the rule marked; corrected, it saves.
    func checkRuleProblemShown(_ browser: WebDriver, camera id: String) async throws {
        try await browser.execute("location.hash = arguments[0]; return true", [.string("#rules?camera=\(id)")])
        try await browser.click(browser.findElement("button[data-add-kind=lineCrossing]"))
        try await browser.execute("""
            const canvas = document.getElementById('rule-canvas');
            const box = canvas.getBoundingClientRect();
            for (const [x, y] of [[0.1, 0.8], [0.45, 0.3]]) {
              canvas.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: box.left + x * box.width, clientY: box.top + y * box.height }));
            }
            return true;
            """)
        try await waitUntil("the tripwire's form") {
            try await browser.execute("return document.querySelector('#rule-list .rule-row.selected[data-kind=lineCrossing]') !== null && document.getElementById('rule-cool-down') !== null") == true
        }
        try await browser.execute("document.getElementById('rule-cool-down').value = ''; return true")
        try await browser.sendKeys("-5", to: browser.findElement("#rule-cool-down"))
        try await browser.click(browser.findElement("#rule-save"))
        try await waitUntil("the server's reason by Save") {
            try await browser.execute("return document.querySelector('#rule-status.message-error')?.textContent ?? ''").string?.contains("coolDownSeconds") == true
        }
        #expect(try await browser.execute("return document.querySelector('#rule-status').textContent").string?.hasPrefix("rules[1]") == true)
        #expect(try await browser.execute("return document.querySelector('#rule-list .rule-row-error[data-kind=lineCrossing]') !== null") == true)
        try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-rules.png"))
        try await browser.execute("document.getElementById('rule-cool-down').value = ''; return true")
        try await browser.sendKeys("10", to: browser.findElement("#rule-cool-down"))
        try await browser.click(browser.findElement("#rule-save"))
        try await waitUntil("the corrected rules are saved") {
            try await browser.execute("return document.querySelectorAll('#rule-status.message-ok').length === 1 && document.querySelectorAll('#rule-list .rule-row').length === 2") == true
        }
        // The analysis profile: switched in the toolbar, saved with the rules, as the server keeps it.
        let chosen = try await browser.execute("""
            const select = document.getElementById('rules-profile');
            select.value = select.value === 'motionOnly' ? 'automatic' : 'motionOnly';
            select.dispatchEvent(new Event('change', { bubbles: true }));
            return select.value;
            """).string
        #expect(chosen != nil)
        try await browser.click(browser.findElement("#rule-save"))
        try await waitUntil("the profile is saved") {
            try await browser.execute("""
                return fetch('/api/cameras/' + encodeURIComponent(arguments[0]) + '/analytics').then((answer) => answer.json()).then((settings) => settings.profile);
                """, [.string(id)]).string == chosen
        }
        // No detector in this server: no rule is detector-led, so no rule says it counts persons only.
        #expect(try await browser.execute("return document.getElementById('rule-counts') === null") == true)
    }

    /// The camera's detail row says where it is analysed: motion only here (this server has no
    /// detector), and — when its rules would have it detector-led — why not.
    func checkAnalysisInCameraDetail(_ browser: WebDriver, camera id: String) async throws {
        try await browser.click(browser.findElement("#main-nav a[data-view=cameras]"))
        try await waitUntil("the camera table") {
            try await browser.execute("return document.querySelector('.camera-open') !== null") == true
        }
        try await browser.click(browser.findElement(".camera-open"))
        try await waitUntil("the detail row's analysis line") {
            try await browser.execute("return document.querySelector('.detail-analysis')?.dataset.profile ?? null").string == "motionOnly"
        }
        let profile = try await browser.execute("""
            return fetch('/api/cameras/' + encodeURIComponent(arguments[0]) + '/analytics').then((answer) => answer.json()).then((settings) => settings.profile);
            """, [.string(id)]).string
        let warning = try await browser.execute("return document.querySelector('.detail-analysis .analysis-warning')?.textContent ?? ''").string ?? ""
        if profile == "automatic" {
            #expect(warning.contains("no person/vehicle detector"), "\(warning)")
        } else {
            #expect(warning.isEmpty, "a camera set to motion only has nothing to explain: \(warning)")
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
