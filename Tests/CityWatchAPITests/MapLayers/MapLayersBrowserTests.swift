import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The map's layers in a real browser on Gangnam's real registry and road network: the roads
/// layer draws every street, a cast-net cast on the map shows what the API plans, and "Send to
/// wall" puts the chosen cameras on the wall in rank order.
@Suite(
    "Map layers in a browser", .serialized,
    .enabled(if: WebDriver.isAvailable, "needs \(WebDriver.chromiumPath) and chromedriver on PATH (CI installs both)")
)
struct MapLayersBrowserTests {
    let console = ConsoleBrowserTests()

    static let screenshot = RepositoryPaths.root.appendingPathComponent(".build/screenshots/map-layers.png")

    struct Plan: Decodable {
        struct Pick: Decodable {
            var cameraID: String
            var rank: Int
            var point: GeoPoint
        }

        struct Inner: Decodable {
            var rings: [AnyJSON]
            var cameras: [Pick]
            var reachedRoads: [AnyJSON]
        }

        var plan: Inner
    }

    /// Any JSON value, counted but not read.
    struct AnyJSON: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    struct BellList: Decodable {
        struct Bell: Decodable {
            var managementNumber: String
            var cameras: [AnyJSON]
        }

        var bells: [Bell]
    }

    /// Bells 15 m north of the first `count` sites of the registry.
    static func bellsFile(near sites: [Site], count: Int) -> String {
        let rows = sites.prefix(count).enumerated().map { index, site in
            ["GN-\(index + 1)", "방범용", "도로", "가로등 \(index + 1)", site.record.roadAddress, site.record.lotAddress,
             String(format: "%.6f", site.record.latitude + 0.000135), String(format: "%.6f", site.record.longitude),
             "유선", "Y", "N", "N", "", "2020", "20240301", "정상", "서울특별시 강남구청", "02-3423-0000", "20240630", ""]
        }
        return RegistryFixtures.csv([BellColumn.allCases.map(\.standardName)] + rows)
    }

    @Test(.timeLimit(.minutes(3)))
    func roadsBellsViewsAndACastNetAreDrawnTheNetFollowsACameraAndGoesToTheWallInRankOrder() async throws {
        let roadFile = RepositoryPaths.gangnamRoadNetwork
        try #require(FileManager.default.fileExists(atPath: roadFile.path), "needs ../shared/data/gangnam.net.xml")
        let lines = RoadMap(network: try SUMONetworkReader().read(contentsOf: roadFile).network).lines.count
        try await withCityWatch(.sqlite) { app in
            let report = try await RegistryImporter(database: app.db).importFile(at: RepositoryPaths.gangnamRegistry.path, actor: "test")
            try #require(report.sites == ConsoleBrowserTests.gangnamSites)
            let password = "layers-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "layeradmin", password: password)
            let replay = try await app.signIn(as: .administrator)
            let sites = try await RegistryRepository(database: app.db).loadAll().sites
            let bells = Self.bellsFile(near: sites, count: 3)
            _ = try await BellImporter(database: app.db).importFile(at: try RegistryFixtures.write(Data(bells.utf8), name: "bells.csv"), actor: "test")
            let bellList = try JSONDecoder().decode(BellList.self, from: Data(
                try await app.testing().sendRequest(.GET, "/api/bells", headers: replay.headers).body.readableBytesView))
            try #require(bellList.bells.count == 3)

            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await openMap(browser, at: site, username: "layeradmin", password: password)

                    // Roads: every line of the network drawn on the roads pane's canvas.
                    try await switchOn("roads", browser)
                    try await waitUntil("the roads are drawn", timeout: .seconds(30)) {
                        if try await browser.execute("return document.getElementById('map').dataset.roadsLines ?? null").int ?? 0 > 0 { return true }
                        // Zoomed out past where roads are drawn: one step in.
                        if try await browser.execute("return !document.querySelector('[data-layer-note=roads]').hidden") == true {
                            try await browser.click(browser.findElement(".leaflet-control-zoom-in"))
                        }
                        return false
                    }
                    #expect(try await browser.execute("return document.getElementById('map').dataset.roadsLines").int == lines)
                    let roadPixels = try await paintedPixels("roads", browser)
                    #expect(roadPixels > 5_000, "the roads canvas has \(roadPixels) painted pixels")
                    let drawMs = try await browser.execute("return document.getElementById('map').dataset.roadsDrawMs").int ?? -1
                    print("map roads layer: \(lines) lines drawn in \(drawMs) ms (Chromium headless, canvas)")

                    // Cast-net at the middle of the map, five minutes ago.
                    let minutes = try await browser.findElement("#castnet-minutes")
                    _ = try await browser.execute("document.getElementById('castnet-minutes').value = ''")
                    try await browser.sendKeys("5", to: minutes)
                    try await browser.click(browser.findElement("#castnet-pick"))
                    try await browser.click(browser.findElement("#map"))
                    try await waitUntil("the cast-net is drawn", timeout: .seconds(30)) {
                        try await browser.execute("return document.getElementById('map').dataset.castnetState ?? null") == "shown"
                    }
                    let drawn = try await browser.execute("""
                        const d = document.getElementById('map').dataset;
                        return { request: d.castnetRequest, rings: d.castnetRings, cameras: d.castnetCameras, roads: d.castnetRoads,
                                 ranks: document.querySelectorAll('#map .castnet-rank').length };
                        """)
                    let body = try #require(drawn["request"]?.string)
                    #expect(body.contains("\"latitude\":37."), "cast at \(body)")
                    let answer = try await app.testing().sendRequest(.POST, "/api/castnet", headers: replay.headers, body: .text(body))
                    let plan = try JSONDecoder().decode(Plan.self, from: Data(answer.body.readableBytesView)).plan
                    #expect(!plan.cameras.isEmpty && plan.rings.count == 2)
                    #expect(drawn["rings"]?.int == plan.rings.count)
                    #expect(drawn["cameras"]?.int == plan.cameras.count)
                    #expect(drawn["roads"]?.int == plan.reachedRoads.count)
                    #expect(drawn["ranks"]?.int == min(25, plan.cameras.count))
                    #expect(try await paintedPixels("castnet", browser) > 1_000)
                    _ = try await browser.screenshot(to: Self.screenshot)

                    // Bells: one square each; the first one's popup lists the cameras the API links to it.
                    try await switchOn("bells", browser)
                    try await waitUntil("the bells are drawn") {
                        try await browser.execute("return document.getElementById('map').dataset.bells ?? null").int == 3
                    }
                    #expect(try await browser.execute("return document.querySelectorAll('#map .bell-marker').length").int == 3)
                    _ = try await browser.execute("document.querySelector('#map .bell-marker').click()")
                    let linked = bellList.bells[0].cameras.count
                    #expect(linked > 0, "a bell 15 m from an all-round camera is seen by it")
                    try await waitUntil("the bell's popup lists its cameras") {
                        let shown = try await browser.execute("""
                            const popup = document.querySelector('.bell-popup');
                            return popup ? { title: popup.querySelector('h2').textContent,
                                             buttons: popup.querySelectorAll('.site-cameras li button').length } : null;
                            """)
                        return shown["title"]?.string?.contains("GN-1") == true && shown["buttons"]?.int == linked
                    }

                    // Follow: the first-ranked camera's "Seen here now" casts the net again from it.
                    let first = try #require(plan.cameras.min { $0.rank < $1.rank })
                    _ = try await browser.execute("document.querySelector('#map .castnet-rank').click()")
                    try await waitUntil("the chosen camera's popup opens") {
                        try await browser.execute("return document.querySelector('.castnet-follow') !== null") == true
                    }
                    _ = try await browser.execute("document.querySelector('.castnet-follow').click()")
                    try await waitUntil("the net is cast from the camera", timeout: .seconds(30)) {
                        let now = try await browser.execute("""
                            const d = document.getElementById('map').dataset;
                            return d.castnetState === 'shown' ? JSON.parse(d.castnetRequest) : null;
                            """)
                        guard let latitude = now["latitude"], case .number(let lat) = latitude,
                              let longitude = now["longitude"], case .number(let lon) = longitude else { return false }
                        return abs(lat - first.point.latitude) < 1e-9 && abs(lon - first.point.longitude) < 1e-9
                    }
                    let followed = try #require(try await browser.execute("return document.getElementById('map').dataset.castnetRequest").string)
                    let again = try JSONDecoder().decode(Plan.self, from: Data(
                        try await app.testing().sendRequest(.POST, "/api/castnet", headers: replay.headers, body: .text(followed)).body.readableBytesView)).plan
                    #expect(try await browser.execute("return document.getElementById('map').dataset.castnetCameras").int == again.cameras.count)

                    // View directions: from zoom 17 one mark per site in view (Gangnam's registry
                    // names no direction, so all of them are all-round circles).
                    try await switchOn("views", browser)
                    try await waitUntil("view directions are drawn", timeout: .seconds(20)) {
                        let drawn = try await browser.execute("""
                            const d = document.getElementById('map').dataset;
                            return (Number(d.viewRounds) || 0) + (Number(d.viewWedges) || 0);
                            """).int ?? 0
                        if drawn > 0 { return true }
                        try await browser.click(browser.findElement(".leaflet-control-zoom-in"))
                        return false
                    }
                    #expect(try await browser.execute("return document.getElementById('map').dataset.viewWedges").int == 0)
                    #expect(try await paintedPixels("views", browser) > 100)

                    // Another view's plan: cleared, then drawn again through showCastNet(plan, labels).
                    try await browser.click(browser.findElement("#castnet-clear"))
                    #expect(try await browser.execute("return document.getElementById('map').dataset.castnetState") == "idle")
                    #expect(try await browser.execute("return document.querySelectorAll('#map .castnet-rank').length").int == 0)
                    let shown = try await browser.execute("""
                        const answer = JSON.parse(arguments[0]);
                        return import('/js/castnetlayer.js').then((module) => module.showCastNet(answer.plan, answer.labels));
                        """, [.string(answer.body.string)])
                    #expect(shown == true)
                    #expect(try await browser.execute("return document.getElementById('map').dataset.castnetCameras").int == plan.cameras.count)
                    #expect(try await browser.execute("return document.querySelectorAll('#map .castnet-rank').length").int == min(25, plan.cameras.count))

                    // Send to wall: the default 4-tile wall gets the first four in rank order.
                    try await browser.click(browser.findElement("#castnet-wall"))
                    let told = try await browser.execute("return document.getElementById('castnet-wall-result').textContent").string ?? ""
                    #expect(told.contains("4 added") && (plan.cameras.count <= 4 || told.contains("did not fit")), "\(told)")
                    try await browser.click(browser.findElement("#main-nav a[data-view=wall]"))
                    let expected = plan.cameras.sorted { $0.rank < $1.rank }.prefix(4).map { $0.cameraID.lowercased() }
                    try await waitUntil("the wall shows the chosen cameras") {
                        try await wallCameras(browser) == expected
                    }
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func sitesThatNameADirectionGetACone() async throws {
        try await withCityWatch(.sqlite) { app in
            // Two poles looking south and east, one all-round dome, a few metres apart.
            let registry = RegistryFixtures.csv([RegistryFixtures.currentHeader,
                RegistryFixtures.currentRow(number: 1, cameras: "1", latitude: "37.500270", longitude: "127.030000", direction: "남측"),
                RegistryFixtures.currentRow(number: 2, cameras: "1", latitude: "37.500000", longitude: "127.030300", direction: "90도"),
                RegistryFixtures.currentRow(number: 3, cameras: "1", latitude: "37.500000", longitude: "127.030000"),
            ])
            _ = try await RegistryImporter(database: app.db).importFile(at: try RegistryFixtures.write(Data(registry.utf8)), actor: "test")
            let password = "cones-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "coneadmin", password: password)
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await openMap(browser, at: site, username: "coneadmin", password: password)
                    try await switchOn("views", browser)
                    try await waitUntil("the view marks are drawn") {
                        let d = try await browser.execute("""
                            const d = document.getElementById('map').dataset;
                            return { wedges: d.viewWedges ?? null, rounds: d.viewRounds ?? null };
                            """)
                        if (d["wedges"]?.int ?? 0) + (d["rounds"]?.int ?? 0) > 0 { return true }
                        try await browser.click(browser.findElement(".leaflet-control-zoom-in"))
                        return false
                    }
                    let drawn = try await browser.execute("""
                        const d = document.getElementById('map').dataset;
                        return { wedges: d.viewWedges, rounds: d.viewRounds };
                        """)
                    #expect(drawn["wedges"]?.int == 2 && drawn["rounds"]?.int == 1, "\(drawn)")
                    // Counted once drawn: on a loaded machine the paint can follow the count by a moment.
                    try? await waitUntil("the cones are painted", timeout: .seconds(10)) { try await paintedPixels("views", browser) > 500 }
                    #expect(try await paintedPixels("views", browser) > 500)
                    _ = try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/map-cones.png"))
                }
            }
        }
    }

    /// Signs in and opens the map, waiting until its sites are on it.
    func openMap(_ browser: WebDriver, at site: URL, username: String, password: String) async throws {
        try await console.signIn(browser, at: site, username: username, password: password)
        try await browser.click(browser.findElement("#main-nav a[data-view=map]"))
        try await waitUntil("the map has loaded", timeout: .seconds(30)) {
            try await browser.execute("return document.getElementById('map')?.dataset.ready ?? null") == "true"
        }
    }

    /// Ticks the layer control's checkbox of layer `key`.
    func switchOn(_ key: String, _ browser: WebDriver) async throws {
        let clicked = try await browser.execute("""
            const input = document.querySelector('[data-layer="\(key)"]')?.closest('label')?.querySelector('input');
            if (!input) return false;
            if (!input.checked) input.click();
            return input.checked;
            """)
        try #require(clicked == true, "no layer control entry for \(key)")
    }

    /// Pixels painted (alpha > 0) on the canvas of the map pane `pane`.
    func paintedPixels(_ pane: String, _ browser: WebDriver) async throws -> Int {
        try await browser.execute("""
            const canvas = document.querySelector('.leaflet-\(pane)-pane canvas');
            if (!canvas || canvas.width === 0) return 0;
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
            return painted;
            """).int ?? 0
    }

    /// The wall's cameras, tile by tile (lower-case ids).
    func wallCameras(_ browser: WebDriver) async throws -> [String] {
        let value = try await browser.execute("""
            return [...document.querySelectorAll('#wall .wall-tile[data-camera]')]
              .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
              .map((tile) => tile.dataset.camera.toLowerCase());
            """)
        return value.array?.compactMap(\.string) ?? []
    }
}
