import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import Testing
import Vapor
import VaporTesting

/// What a new user stumbled on in the console, walked through once in a real browser against a
/// server recording one camera: labels that all read "서울특별시 강남구 …", a map that kept its
/// sites after an import, camera groups asking for typed ids, a privacy-mask hint that claimed
/// recordings are changed, a playback timeline stuck at 24 h whose summary said "0h 00m" after
/// minutes of recording, and search thumbnails missing for the minute being recorded. (Event
/// snapshots of wide cameras are checked in ``ConsoleBrowserTests``, whose camera is wide.)
@Suite(
    "Console friction in a browser", .serialized,
    .enabled(if: WebDriver.isAvailable, "needs \(WebDriver.chromiumPath) and chromedriver on PATH (CI installs both)"),
    .enabled(if: MediaFixtures.available, "needs ffmpeg")
)
struct ConsoleFrictionBrowserTests {
    let console = ConsoleBrowserTests()
    let searchPage = SearchConsoleBrowserTests()

    /// Two sites at one address (a control room and a car park) and a pole with three cameras.
    static let registry = [
        RegistryFixtures.currentRow(number: 1, cameras: "1", roadAddress: "서울특별시 강남구 봉은사로 524", direction: "관제실"),
        RegistryFixtures.currentRow(number: 2, cameras: "1", roadAddress: "서울특별시 강남구 봉은사로 524", direction: "주차장"),
        RegistryFixtures.currentRow(number: 3, cameras: "3", roadAddress: "서울특별시 강남구 테헤란로 152"),
    ]

    @Test(.timeLimit(.minutes(3)))
    func aNewOperatorFindsLabelsMapGroupsMasksTimelineAndThumbnailsRight() async throws {
        let folder = try RepositoryPaths.temporaryFolder("friction")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: true)
        try await withCityWatch(.sqlite) { app in
            let registry = folder.appendingPathComponent("registry.csv")
            try Data(RegistryFixtures.csv([RegistryFixtures.currentHeader] + Self.registry).utf8).write(to: registry)
            _ = try await RegistryImporter(database: app.db).importFile(at: registry.path, actor: "test")
            let (sites, cameras) = try await RegistryRepository(database: app.db).loadAll()
            let pole = try #require(sites.first { $0.record.cameraCount == 3 })
            let onPole = cameras.filter { $0.siteID == pole.id }.sorted { $0.position < $1.position }.map(\.id)
            let atOneAddress = cameras.filter { $0.siteID != pole.id }.map(\.id)
            let recorded = onPole[0]

            // One open segment for the whole test.
            let recording = try await RecordingAPITests.recordLooping(clip, camera: recorded, into: folder, app: app,
                                                                      segmentSeconds: 300, analysisFrames: false)
            // A closed minute recorded earlier today (59.6 s: the summary once floored it to "0h 00m").
            let closed = try await seedClosedSegment(of: recorded, clip: clip, in: folder, app: app)

            try await whileRunning([recording]) {
                let password = "friction-\(UUID().uuidString.prefix(8))"
                try await console.makeAdministrator(app, username: "newcomer", password: password)
                try await console.withRunningServer(app) { site in
                    try await WebDriver.withBrowser { browser in
                        try await console.signIn(browser, at: site, username: "newcomer", password: password)
                        try await checkLabels(browser, onPole: onPole)
                        try await checkMapFollowsAnImport(browser, folder: folder)
                        try await checkGroupFromTickedCameras(browser, app: app, cameras: atOneAddress)
                        try await checkPrivacyMaskHint(browser, camera: recorded)
                        let open = try await RecordedFrameAPITests.openSegmentStart(of: recorded, in: folder, after: 4)
                        try await checkPlaybackTimeline(browser, camera: recorded, closedSeconds: closed ? 59 : 0)
                        try await checkThumbnailOfTheMinuteBeingRecorded(browser, app: app, camera: recorded, openedAt: open)
                        try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-friction.png"))
                    }
                }
            }
        }
    }

    /// Wall list and tile: the road and number (and what tells sites at one address apart, and
    /// the camera's number on its pole), never the province and district they all share.
    func checkLabels(_ browser: WebDriver, onPole: [UUID]) async throws {
        try await browser.click(browser.findElement("#main-nav a[data-view=wall]"))
        try await waitUntil("the wall's camera list") {
            try await browser.execute("return document.querySelectorAll('#wall-cameras-list .camera-item').length").int == 5
        }
        let names = try await browser.execute(
            "return [...document.querySelectorAll('#wall-cameras-list .camera-item-name')].map((name) => name.textContent.trim())"
        ).array?.compactMap(\.string) ?? []
        #expect(Set(names) == ["봉은사로 524 · 관제실", "봉은사로 524 · 주차장",
                               "테헤란로 152 · 카메라 1/3", "테헤란로 152 · 카메라 2/3", "테헤란로 152 · 카메라 3/3"], "list: \(names)")
        try await browser.click(browser.findElement("#wall-cameras-list .camera-item[data-camera='\(onPole[1].uuidString)'] .camera-pick"))
        let tile = "#wall .wall-tile[data-camera='\(onPole[1].uuidString)'] .tile-title"
        try await waitUntil("the tile's label") {
            try await browser.execute("return document.querySelector(arguments[0])?.textContent ?? ''", [.string(tile)]).string?
                .hasSuffix(". 테헤란로 152 · 카메라 2/3") == true
        }
        #expect(try await browser.execute("const title = document.querySelector(arguments[0]); return title.scrollWidth <= title.clientWidth",
                                          [.string(tile)]) == true, "the tile shows its whole label")
    }

    /// The map drew three sites; after a registry import in the console it draws five when shown again.
    func checkMapFollowsAnImport(_ browser: WebDriver, folder: URL) async throws {
        try await browser.click(browser.findElement("#main-nav a[data-view=map]"))
        try await waitUntil("the map has loaded", timeout: .seconds(20)) {
            try await browser.execute("return document.getElementById('map')?.dataset.ready ?? null") == "true"
        }
        #expect(try await console.markerCount(browser) == 3)
        let more = folder.appendingPathComponent("two-more.csv")
        let rows = [4, 5].map { RegistryFixtures.currentRow(number: $0, cameras: "1") }
        try Data(RegistryFixtures.csv([RegistryFixtures.currentHeader] + rows).utf8).write(to: more)
        try await browser.click(browser.findElement("#main-nav a[data-view=import]"))
        try await browser.sendKeys(more.path, to: browser.findElement("#import-file"))
        try await browser.click(browser.findElement("#import-dry-run")) // off: apply it
        try await browser.click(browser.findElement("#import-form button[type=submit]"))
        try await waitUntil("the import is applied") {
            try await browser.execute("return document.querySelector('#import-result .report .badge-ok') !== null") == true
        }
        try await browser.click(browser.findElement("#main-nav a[data-view=map]"))
        try await waitUntil("the map shows the imported sites") { try await console.markerCount(browser) == 5 }
    }

    /// A camera group made by searching for an address and ticking its cameras (ids are UUIDs
    /// nobody types).
    func checkGroupFromTickedCameras(_ browser: WebDriver, app: Application, cameras: [UUID]) async throws {
        try await browser.click(browser.findElement("#main-nav a[data-view=users]"))
        try await waitUntil("the group form's camera list") {
            try await browser.execute("return document.querySelectorAll('#group-cameras-list .camera-check').length").int ?? 0 >= 5
        }
        try await browser.sendKeys("봉은사로", to: browser.findElement("#group-cameras-search"))
        try await waitUntil("only the cameras of 봉은사로 524 listed") {
            try await browser.execute("return document.querySelectorAll('#group-cameras-list .camera-check').length").int == 2
        }
        for camera in cameras { try await browser.click(browser.findElement("#group-cameras-list .camera-check[value='\(camera.uuidString)']")) }
        #expect(try await browser.execute("return document.querySelectorAll('#group-cameras-chosen li').length").int == 2)
        try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-group-form.png"))
        try await browser.sendKeys("봉은사로 관제", to: browser.findElement("#group-name"))
        try await browser.click(browser.findElement("#add-group-form button[type=submit]"))
        try await waitUntil("the group is added") {
            try await browser.execute("return document.querySelector('#add-group-form .message-ok') !== null") == true
        }
        let admin = try await app.signIn(as: .administrator)
        let groups = try await app.testing().sendRequest(.GET, "/api/groups", headers: admin.headers).body.string
        #expect(groups.contains("봉은사로 관제") && cameras.allSatisfy { groups.contains($0.uuidString) }, "groups: \(groups.prefix(400))")
        #expect(groups.contains("\"cameraCount\":2"), "groups: \(groups.prefix(400))")
    }

    /// The rule editor says what masks do: never analysed, blacked out for some roles, the
    /// recording itself unchanged (README "Privacy masks").
    func checkPrivacyMaskHint(_ browser: WebDriver, camera: UUID) async throws {
        try await browser.execute("location.hash = arguments[0]; return true", [.string("#rules?camera=\(camera.uuidString)")])
        var hint = ""
        try await waitUntil("the privacy-mask hint") {
            hint = try await browser.execute("return document.getElementById('privacy-mask-hint')?.textContent ?? ''").string ?? ""
            return !hint.isEmpty
        }
        #expect(hint.lowercased().contains("never analysed") && hint.contains("recording itself is never changed"), "hint: \(hint)")
        #expect(!hint.contains("out of recording"), "hint: \(hint)")
    }

    /// Playback: the summary counts the closed minute and what the open segment holds so far, in
    /// minutes and seconds; the timeline zooms by wheel to ten minutes and one minute around
    /// the recording, with minute and then second ticks, and back to the day.
    func checkPlaybackTimeline(_ browser: WebDriver, camera: UUID, closedSeconds: Int) async throws {
        try await browser.execute("location.hash = arguments[0]; return true", [.string("#playback?camera=\(camera.uuidString)")])
        var recorded = 0, shown = ""
        do {
            try await waitUntil("the day's summary") {
                recorded = try await browser.execute("return document.querySelector('.playback-summary')?.dataset.recordedSeconds ?? null").int ?? 0
                shown = try await browser.execute("return document.getElementById('playback').textContent").string ?? ""
                return recorded >= closedSeconds + 3
            }
        } catch {
            Issue.record("playback shows \(recorded) s recorded (\(closedSeconds) s closed before): \(shown.prefix(400))")
            throw error
        }
        let summary = try await browser.execute("return document.querySelector('.playback-summary').textContent").string ?? ""
        #expect(summary.contains(recorded >= 60 ? "\(recorded / 60)분 " : "\(recorded)초") && summary.contains("녹화 중"), "summary: \(summary)")
        #expect(try await browser.execute("return document.querySelectorAll('#timeline .range-open').length").int == 1)

        let wheel = """
            for (let i = 0; i < arguments[0]; i += 1) {
              const open = document.querySelector('#timeline .range-open').getBoundingClientRect();
              document.getElementById('timeline').dispatchEvent(new WheelEvent('wheel', {
                deltaY: -100, clientX: open.left + open.width / 2, clientY: open.top + 2, bubbles: true, cancelable: true }));
            }
            const timeline = document.getElementById('timeline');
            const open = timeline.querySelector('.range-open').getBoundingClientRect();
            return { span: Number(timeline.dataset.span), openWidth: open.width / timeline.getBoundingClientRect().width,
                     labels: [...timeline.querySelectorAll('.tick span')].map((label) => label.textContent) };
            """
        let tenMinutes = try await browser.execute(wheel, [6])
        #expect(tenMinutes["span"]?.int == 600_000, "six wheel steps in: \(tenMinutes)")
        let minuteLabels = tenMinutes["labels"]?.array?.compactMap(\.string) ?? []
        #expect(!minuteLabels.isEmpty && minuteLabels.allSatisfy { $0.wholeMatch(of: /\d\d:\d\d/) != nil }, "labels: \(minuteLabels)")
        let oneMinute = try await browser.execute(wheel, [3])
        #expect(oneMinute["span"]?.int == 60_000, "three more: \(oneMinute)")
        let secondLabels = oneMinute["labels"]?.array?.compactMap(\.string) ?? []
        #expect(!secondLabels.isEmpty && secondLabels.allSatisfy { $0.wholeMatch(of: /\d\d:\d\d:\d\d/) != nil }, "labels: \(secondLabels)")
        // The wheel keeps the time under the pointer where it is on screen, and in the day view the
        // open segment sits at its time of day: within two hours of the browser's midnight it stays
        // at the timeline's edge through the zoom, partly off it, so there only being drawn is checked.
        let intoDay = Date().timeIntervalSince(Calendar.current.startOfDay(for: Date()))
        let nearMidnight = min(intoDay, 86_400 - intoDay) < 7_200
        if case .number(let share) = oneMinute["openWidth"] {
            #expect(share > (nearMidnight ? 0 : 0.04), "the open segment drawn \(share) of the width")
        }
        try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-playback-minute.png"))
        try await browser.click(browser.findElement("#timeline-zoom-day"))
        let day = try await browser.execute("return Number(document.getElementById('timeline').dataset.span)").int ?? 0
        #expect((82_800_000...90_000_000).contains(day))
    }

    /// Search: an episode in the minute still being recorded shows its frame, not "No recorded frame".
    func checkThumbnailOfTheMinuteBeingRecorded(_ browser: WebDriver, app: Application, camera: UUID, openedAt: Date) async throws {
        let moment = openedAt.addingTimeInterval(2)
        try await Self.storeMotion(of: camera, at: moment, on: app.db)
        try await browser.click(browser.findElement("#main-nav a[data-view=search]"))
        try await searchPage.tick(camera, in: browser)
        try await searchPage.runSearch(browser)
        #expect(try await browser.execute("return document.querySelectorAll('#search-results .search-episode').length").int ?? 0 >= 1)
        var state = ""
        try await waitUntil("the episode's thumbnail", timeout: .seconds(20)) {
            state = try await browser.execute("""
                const card = document.querySelector('#search-results .search-episode');
                if (card.querySelector('.search-thumb-none')) return 'none';
                const picture = card.querySelector('.search-thumb img');
                return picture.complete && picture.naturalWidth > 0 ? 'shown' : 'loading';
                """).string ?? ""
            return state != "loading"
        }
        #expect(state == "shown", "the thumbnail of \(moment) in the open segment")
    }

    /// Indexes a copy of `clip` as a 59.6-second segment of the camera's folder that ended a
    /// minute ago, when that is still today (the playback view opens on today); false when not.
    func seedClosedSegment(of camera: UUID, clip: String, in folder: URL, app: Application) async throws -> Bool {
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 120).rounded(.down))
        let end = start.addingTimeInterval(59.6)
        guard start >= Calendar.current.startOfDay(for: Date()) else { return false }
        // Where the recorder would have written it, so its start-up reconcile keeps it.
        let name = DateFormatter()
        name.locale = Locale(identifier: "en_US_POSIX")
        name.timeZone = TimeZone(identifier: "UTC")
        name.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let cameraFolder = folder.appendingPathComponent("recordings/\(camera.uuidString)")
        try FileManager.default.createDirectory(at: cameraFolder, withIntermediateDirectories: true)
        let file = cameraFolder.appendingPathComponent(name.string(from: start) + ".mp4").path
        try FileManager.default.copyItem(atPath: clip, toPath: file)
        try await RecordingRepository(database: app.db).addSegment(
            RecordedSegment(cameraID: camera, path: file, start: start, end: end, bytes: 1), now: Date())
        return true
    }

    /// One person walking for two seconds from `moment`: motion grids and a track, as analytics store them.
    static func storeMotion(of camera: UUID, at moment: Date, on database: any Database) async throws {
        let path = (0...2).map { ImageBox(x: 0.3 + Double($0) * 0.05, y: 0.4, width: 0.1, height: 0.3) }
        let track = TrackSummary(cameraID: camera, trackID: 1, objectClass: .person, start: moment, end: moment.addingTimeInterval(2),
                                 path: path, color: nil, direction: 90, speed: 0.05)
        var minutes: [Int64: MotionMinute] = [:]
        for grid in SearchMetadataGenerator.grids(of: track) {
            let minute = grid.second.floorDivided(by: 60)
            minutes[minute, default: MotionMinute(minute: minute)].add(grid)
        }
        try await SearchMetadataGenerator.store(.init(minutes: minutes.keys.sorted().map { minutes[$0]! }, tracks: [track]),
                                                camera: camera, on: database)
    }
}
