import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor

/// The console's search page in a real browser: an investigator picks cameras (ticked, or by an
/// area drawn on the map) and a period in Korean time, sets what to look for, draws a region on
/// the picture, and gets the same episodes as ``SearchService`` finds, paged, each opening
/// playback at its moment.
@Suite(
    "Search page in a browser", .serialized,
    .enabled(if: WebDriver.isAvailable, "needs \(WebDriver.chromiumPath) and chromedriver on PATH (CI installs both)")
)
struct SearchConsoleBrowserTests {
    /// 09:00 KST on 22 September 2026: busy morning hours in the generator's day curve.
    static let start = Date(timeIntervalSince1970: 1_790_035_200)
    static let end = start.addingTimeInterval(3 * 3_600)
    /// When the scripted walker enters the picture of the second camera.
    static let walkerEnters = start.addingTimeInterval(1_234)
    /// The doorway the walker passes through (4 s to 6 s after entering), as picture fractions.
    static let doorway: [(Double, Double)] = [(0.4, 0.6), (0.6, 0.6), (0.6, 0.9), (0.4, 0.9)]

    /// Sign-in, server and browser helpers shared with the other console tests.
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(3)))
    func investigatorFindsPeopleOnChosenCamerasInADrawnRegionAndMapAreaAndOpensPlaybackAtTheMoment() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let (busy, quiet) = (cameras[0], cameras[1])
            // Camera number 4 of the generator is its busiest (three times the others).
            let day = SearchMetadataGenerator(seed: 11, peakObjectsPerMinute: 0.5).generate(camera: busy, number: 4, from: Self.start, minutes: 180)
            try await SearchMetadataGenerator.store(day, camera: busy, on: app.db)
            let path = (0...10).map { step in ImageBox(x: 0.05 + 0.09 * Double(step), y: 0.5, width: 0.05, height: 0.3) }
            let walker = TrackSummary(cameraID: quiet, trackID: 7, objectClass: .person, start: Self.walkerEnters,
                                      end: Self.walkerEnters.addingTimeInterval(10), path: path, color: "red", direction: 90, speed: 0.09)
            try await SearchMetadataGenerator.store(.init(minutes: [], tracks: [walker]), camera: quiet, on: app.db)

            let service = SearchService(database: app.db)
            let people = try await service.run(SearchQuery(cameras: .init(ids: [busy]), from: Self.start, to: Self.end, classes: [.person]),
                                               cameras: [busy])
            try #require(people.total > 50, "the busy camera needs more than a page of episodes, has \(people.total)")
            let secondPage = try await service.run(SearchQuery(cameras: .init(ids: [busy]), from: Self.start, to: Self.end, classes: [.person],
                                                               offset: 50), cameras: [busy])
            let region = ImagePolygon(points: Self.doorway.map { ImagePoint(x: $0.0, y: $0.1) })
            let inDoorway = try await service.run(SearchQuery(cameras: .init(ids: [quiet]), from: Self.start, to: Self.end, region: region,
                                                              classes: [.person]), cameras: [quiet])
            try #require(inDoorway.total == 1)
            let doorwayAnywhere = try await service.run(SearchQuery(from: Self.start, to: Self.end, region: region, classes: [.person]),
                                                        cameras: Set(cameras))

            let password = "search-watch-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "investigator", password: password)
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: "investigator", password: password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=search]"))
                    try await checkDefaultPeriodIsTheLastDay(browser)

                    try await tick(busy, in: browser)
                    try await setPeriod(browser)
                    try await browser.click(browser.findElement("#search-form input[name=class][value=person]"))
                    try await runSearch(browser)
                    try await expectPage(browser, showing: people, camera: busy)
                    #expect(try await browser.execute("return document.getElementById('search-page').textContent").string
                        == "1–50 / \(people.total)")
                    try await exportEveryEpisode(browser, expected: people.total)
                    try await browser.click(browser.findElement("#search-next"))
                    try await waitUntil("the second page") {
                        try await browser.execute("return document.getElementById('search-page').textContent").string?.hasPrefix("51–") == true
                    }
                    try await expectPage(browser, showing: secondPage, camera: busy)
                    try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-search.png"))

                    // A stay needs a region to stay in: the server's reason appears by the button.
                    try await browser.sendKeys("5", to: browser.findElement("#search-dwell"))
                    try await browser.click(browser.findElement("#search-run"))
                    try await waitUntil("the server's reason by Search") {
                        try await browser.execute("return document.getElementById('search-status').dataset.state").string == "error"
                    }
                    let reason = try await browser.execute("return document.getElementById('search-status').textContent").string ?? ""
                    #expect(reason == "dwellSeconds: needs a region to stay in", "shown: \(reason)")
                    try await browser.execute("document.getElementById('search-dwell').value = ''; return true")

                    // The other camera only, with the doorway drawn on its picture (an empty frame: it is not recorded).
                    try await tick(busy, in: browser)
                    try await tick(quiet, in: browser)
                    try await drawDoorway(browser)
                    try await runSearch(browser)
                    try await expectPage(browser, showing: inDoorway, camera: quiet)
                    try await browser.execute("document.querySelector('.search-main').scrollTop = 0; document.querySelector('.search-side').scrollTop = 0; return true")
                    try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-search-region.png"))
                    let link = try await browser.execute("return document.querySelector('#search-results .search-play').getAttribute('href')").string
                    #expect(link?.hasPrefix("#playback?camera=\(quiet.uuidString)&at=") == true, "link: \(link ?? "none")")

                    // No camera ticked but an area drawn round both sites on the map: both are searched.
                    try await tick(quiet, in: browser)
                    try await drawAreaRoundEverySite(browser)
                    try await runSearch(browser)
                    #expect(try await browser.execute("return document.getElementById('search-summary').dataset.total").int == doorwayAnywhere.total)
                    #expect(try await browser.execute("return document.querySelectorAll('#search-results .search-episode').length").int
                        == doorwayAnywhere.episodes.count)

                    try await browser.click(browser.findElement("#search-results .search-episode[data-camera='\(quiet.uuidString)'] .search-play"))
                    try await waitUntil("playback opens the camera at the moment") {
                        try await browser.execute("""
                            return !document.getElementById('view-playback').hidden
                              && document.querySelector('#playback-cameras-list .camera-item.selected')?.dataset.camera === arguments[0]
                            """, [.string(quiet.uuidString)]) == true
                    }
                    let hash = try await browser.execute("return decodeURIComponent(location.hash)").string ?? ""
                    let at = hash.components(separatedBy: "&at=").last.flatMap { try? Date($0, strategy: .iso8601) }
                    #expect(hash.hasPrefix("#playback?camera=\(quiet.uuidString)&at="), "hash: \(hash)")
                    #expect(at.map { abs($0.timeIntervalSince(inDoorway.episodes[0].moment)) < 1 } == true, "at \(String(describing: at))")

                    // Expected: the boot's 401, the refused query's 400, and no picture or frame of an unrecorded camera.
                    let problems = try await browser.browserLog().filter {
                        $0.level == "SEVERE" && !($0.message.contains("/api/session") && $0.message.contains("401"))
                            && !($0.message.contains("/api/search") && $0.message.contains("400"))
                            && !($0.message.contains("/snapshot") && $0.message.contains("409"))
                            && !($0.message.contains("/frame") && $0.message.contains("404"))
                    }
                    #expect(problems.isEmpty, "browser console errors: \(problems)")
                }
            }
        }
    }

    /// Export CSV downloads every episode, not just the page: the file the page makes is caught
    /// on its way to the download link.
    func exportEveryEpisode(_ browser: WebDriver, expected total: Int) async throws {
        try await browser.execute("""
            window.exportedCSV = null;
            const make = URL.createObjectURL.bind(URL);
            URL.createObjectURL = (blob) => { blob.text().then((text) => { window.exportedCSV = text; }); return make(blob); };
            return true;
            """)
        try await browser.click(browser.findElement("#search-export"))
        var csv = ""
        try await waitUntil("the CSV file") {
            csv = try await browser.execute("return window.exportedCSV").string ?? ""
            return !csv.isEmpty
        }
        let lines = csv.split(separator: "\r\n")
        #expect(lines.first?.hasSuffix("camera_id,address,start_kst,end_kst,moment_kst,seconds,classes,track_ids,score") == true)
        #expect(lines.count == 1 + total, "\(lines.count) lines for \(total) episodes")
        #expect(try await browser.execute("return document.getElementById('search-status').dataset.state").string == "exported")
    }

    /// The period starts out as the last 24 hours, written in Korean time.
    func checkDefaultPeriodIsTheLastDay(_ browser: WebDriver) async throws {
        try await waitUntil("the search form") {
            try await browser.execute("return document.getElementById('search-to')?.value ?? ''").string?.isEmpty == false
        }
        let from = try await browser.execute("return document.getElementById('search-from').value").string ?? ""
        let to = try await browser.execute("return document.getElementById('search-to').value").string ?? ""
        let shownTo = try #require(Self.kstFormat.date(from: to), "to: '\(to)'")
        let shownFrom = try #require(Self.kstFormat.date(from: from), "from: '\(from)'")
        #expect(abs(shownTo.timeIntervalSinceNow) < 120, "to \(to) KST is not now")
        #expect(shownTo.timeIntervalSince(shownFrom) == 86_400)
    }

    /// Ticks (or unticks) the camera's checkbox in the list, waiting for the list first.
    func tick(_ camera: UUID, in browser: WebDriver) async throws {
        let selector = "#search-cameras-list .camera-check[value='\(camera.uuidString)']"
        try await waitUntil("camera \(camera) in the list") {
            try await browser.execute("return document.querySelector(arguments[0]) !== null", [.string(selector)]) == true
        }
        try await browser.click(browser.findElement(selector))
    }

    /// Enters the period of the generated metadata, in Korean time as the form asks (as typed:
    /// with input events, so the form stops moving the period up to now).
    func setPeriod(_ browser: WebDriver) async throws {
        try await browser.execute("""
            for (const [id, value] of [['search-from', arguments[0]], ['search-to', arguments[1]]]) {
              const input = document.getElementById(id);
              input.value = value;
              input.dispatchEvent(new Event('input', { bubbles: true }));
            }
            return true
            """, [.string(Self.kstFormat.string(from: Self.start)), .string(Self.kstFormat.string(from: Self.end))])
    }

    /// Opens the picture panel and clicks the doorway's corners on it, then Done.
    func drawDoorway(_ browser: WebDriver) async throws {
        try await drawRegion(Self.doorway, in: browser)
    }

    /// Opens the picture panel and clicks `corners` (picture fractions) on it, then Done.
    func drawRegion(_ corners: [(Double, Double)], in browser: WebDriver) async throws {
        try await browser.click(browser.findElement("#search-picture-box > summary"))
        try await browser.click(browser.findElement("#search-draw-region"))
        let placed = try await browser.execute("""
            const canvas = document.getElementById('search-canvas');
            const box = canvas.getBoundingClientRect();
            for (const [x, y] of arguments[0]) {
              canvas.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: box.left + x * box.width, clientY: box.top + y * box.height }));
            }
            return document.querySelectorAll('#search-canvas .rule-drawing-point').length;
            """, [.array(corners.map { .array([.number($0.0), .number($0.1)]) })])
        #expect(placed.int == corners.count)
        try await browser.click(browser.findElement("#search-draw-done"))
        #expect(try await browser.execute("return document.querySelectorAll('#search-canvas .rule-shape-polygon').length").int == 1)
    }

    /// Opens the map, and clicks an area's corners just inside its edges (the map fits every site), then Done.
    func drawAreaRoundEverySite(_ browser: WebDriver) async throws {
        try await browser.click(browser.findElement("#search-map-box > summary"))
        try await waitUntil("the sites on the map") {
            try await browser.execute("return document.getElementById('search-map').dataset.ready ?? null") == "true"
        }
        try await browser.click(browser.findElement("#search-area-draw"))
        try await browser.execute("""
            const map = document.getElementById('search-map');
            const box = map.getBoundingClientRect();
            for (const [x, y] of [[0.03, 0.03], [0.97, 0.03], [0.97, 0.97], [0.03, 0.97]]) {
              const at = { bubbles: true, clientX: box.left + x * box.width, clientY: box.top + y * box.height };
              map.dispatchEvent(new MouseEvent('mousedown', at));
              map.dispatchEvent(new MouseEvent('mouseup', at));
              map.dispatchEvent(new MouseEvent('click', at));
            }
            return true
            """)
        #expect(try await browser.execute("return document.getElementById('search-area-status').dataset.corners").int == 4)
        try await browser.click(browser.findElement("#search-area-done"))
        let status = try await browser.execute("return document.getElementById('search-area-status').textContent").string ?? ""
        #expect(status.hasSuffix(": 2 지점 sites · 2 카메라 cameras"), "area: \(status)")
    }

    /// Clicks Search and waits for the answer.
    func runSearch(_ browser: WebDriver) async throws {
        try await browser.click(browser.findElement("#search-run"))
        try await waitUntil("the search has answered") {
            try await browser.execute("return document.getElementById('search-status').dataset.state").string == "done"
        }
    }

    /// The page on screen holds exactly `expected`'s episodes, in its order, all of `camera`.
    func expectPage(_ browser: WebDriver, showing expected: SearchService.Result, camera: UUID) async throws {
        #expect(try await browser.execute("return document.getElementById('search-summary').dataset.total").int == expected.total)
        let shown = try await browser.execute("""
            return [...document.querySelectorAll('#search-results .search-episode')]
              .map((card) => ({ camera: card.dataset.camera, moment: Date.parse(card.dataset.moment) / 1000 }));
            """).array ?? []
        #expect(shown.count == expected.episodes.count, "shown \(shown.count), expected \(expected.episodes.count)")
        for (card, episode) in zip(shown, expected.episodes) {
            #expect(card["camera"]?.string == camera.uuidString)
            let moment = card["moment"].flatMap { if case .number(let seconds) = $0 { seconds } else { nil } } ?? 0
            #expect(abs(moment - episode.moment.timeIntervalSince1970) < 1, "card at \(moment), episode at \(episode.moment)")
        }
    }

    /// Reads and writes "YYYY-MM-DDTHH:MM" in Korean time, as a datetime-local input holds it.
    static var kstFormat: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Seoul")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter
    }
}
