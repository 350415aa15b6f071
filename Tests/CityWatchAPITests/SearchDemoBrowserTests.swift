import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Crypto
import Fluent
import FluentKit
import Foundation
import Testing
import Vapor

/// Smart search end to end on a demo camera: the demo district's 봉은사 정문 camera (a person
/// walks into its restricted area, lingers and leaves, every 20 s) is recorded and analysed
/// for real; an investigator draws the area on the camera's picture in the console, searches
/// for motion in it, and opens the newest episode in playback. The picture playback opens on
/// is matched against the clip's frames, and the ground truth must show a person in the drawn
/// region within a second of that frame, moving. (Motion, not "people": without the detector, which
/// does not take the synthetic figures for people, tracks have no class.)
@Suite(
    "Search on a demo camera in a browser", .serialized,
    .enabled(if: WebDriver.isAvailable, "needs \(WebDriver.chromiumPath) and chromedriver on PATH (CI installs both)"),
    .enabled(if: MediaTools().available, "needs ffmpeg")
)
struct SearchDemoBrowserTests {
    static let clipSeconds = 20.0
    /// The picture is compared at this size (grey levels).
    static let compareWidth = 160, compareHeight = 90

    let console = ConsoleBrowserTests()
    let searchPage = SearchConsoleBrowserTests()

    @Test(.timeLimit(.minutes(5)))
    func aPersonWalkingIntoARegionDrawnOnADemoCameraIsFoundAndPlaysBackAtThatSecond() async throws {
        let folder = try RepositoryPaths.temporaryFolder("search-demo")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite) { app in
            var configuration = app.cityWatch.configuration
            configuration.dataDirectory = folder.path
            configuration.recordingsDirectory = folder.appendingPathComponent("recordings").path
            configuration.segmentSeconds = 10
            let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
            let demo = try await DemoDistrict(database: app.db, dataDirectory: folder.path).prepare(sealer: sealer, clipSeconds: Self.clipSeconds)
            // Only 봉은사 정문 (DEMO-06) is recorded: two cores cannot analyse sixteen cameras and run a browser.
            let (sites, cameras) = try await RegistryRepository(database: app.db).loadAll()
            let site = try #require(sites.first { $0.record.managementNumber == "DEMO-06" })
            let camera = try #require(cameras.first { $0.siteID == site.id }).id
            for other in demo where other != camera { try await RecordingRepository(database: app.db).removeStream(for: other) }
            let (_, scene) = try await DemoDistrict.clip(.intrusion, clipSeconds: Self.clipSeconds, in: folder.appendingPathComponent("demo"))
            let area = try #require(scene.zones.first?.area)
            let width = Double(scene.width), height = Double(scene.height)
            let corners: [(Double, Double)] = [
                (Double(area.x) / width, Double(area.y) / height), (Double(area.maxX) / width, Double(area.y) / height),
                (Double(area.maxX) / width, Double(area.maxY) / height), (Double(area.x) / width, Double(area.maxY) / height),
            ]

            let recording = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer)
            let analytics = AnalyticsService(database: { app.db }, recording: recording, dataDirectory: folder.path)
            app.recording = recording
            app.analytics = analytics
            let shown = try await whileRunning([recording, analytics]) {
                let password = "demo-search-\(UUID().uuidString.prefix(8))"
                try await console.makeAdministrator(app, username: "investigator", password: password)
                return try await console.withRunningServer(app) { url in
                    try await WebDriver.withBrowser { browser in
                        try await console.signIn(browser, at: url, username: "investigator", password: password)
                        try await browser.click(browser.findElement("#main-nav a[data-view=search]"))
                        try await searchPage.tick(camera, in: browser)
                        try await searchPage.drawRegion(corners, in: browser)
                        let moment = try await searchUntilFound(browser, camera: camera)
                        // Playback needs the segment holding the moment to be finished.
                        try await waitUntil("the segment holding the moment is recorded", timeout: .seconds(40), pollingEvery: .seconds(1)) {
                            try await !RecordingRepository(database: app.db).segments(camera: camera, from: moment, to: moment.addingTimeInterval(1)).isEmpty
                        }
                        return try await openPlayback(browser, camera: camera, moment: moment)
                    }
                }
            }

            // Which frame of the looping clip is on screen, and what happens in the region then.
            let frame = Self.closestFrame(to: shown, in: scene)
            let truth = SyntheticGroundTruth(scene: scene)
            let occupied = Self.framesWithSomeoneMoving(in: area, truth: truth, over: scene.fps)
            try #require(!occupied.isEmpty && occupied.count < scene.frameCount / 3, "people move in the area part of the time")
            let count = scene.frameCount
            // Frames to the nearest with someone moving in the region, the loop taken into account.
            let nearest = try #require(occupied.map { abs(((frame.index - $0) % count + count + count / 2) % count - count / 2) }.min())
            #expect(frame.difference < 12, "the picture matches a frame of the clip (mean difference \(frame.difference))")
            #expect(nearest <= scene.fps, "playback opened on frame \(frame.index), \(nearest) frames from someone moving in the region")
        }
    }

    /// Searches until two episodes are found (the person has come round again) and returns the
    /// newest's moment. The period is left at its default, the last 24 h, which each search
    /// moves up to now.
    func searchUntilFound(_ browser: WebDriver, camera: UUID) async throws -> Date {
        var moment: Date?
        try await waitUntil("two episodes of motion in the region", timeout: .seconds(150), pollingEvery: .seconds(3)) {
            try await searchPage.runSearch(browser)
            guard try await browser.execute("return Number(document.getElementById('search-summary').dataset.total)").int ?? 0 >= 2 else { return false }
            let card = try await browser.execute("""
                const card = document.querySelector('#search-results .search-episode');
                return { camera: card.dataset.camera, moment: card.dataset.moment };
                """)
            #expect(card["camera"]?.string == camera.uuidString)
            moment = card["moment"]?.string.flatMap { try? Date($0, strategy: .iso8601) }
            return moment != nil
        }
        return try #require(moment)
    }

    /// Clicks the newest episode's play link; when the player has sought to the moment, pauses
    /// it and reads the picture as grey levels at the compared size.
    func openPlayback(_ browser: WebDriver, camera: UUID, moment: Date) async throws -> [UInt8] {
        // Media events do not bubble, but a listener on the document in the capture phase hears them.
        try await browser.execute("""
            window.capturedFrame = null;
            window.grabFrame = (video) => {
              video.pause();
              const canvas = document.createElement('canvas');
              canvas.width = arguments[0]; canvas.height = arguments[1];
              const context = canvas.getContext('2d');
              context.drawImage(video, 0, 0, canvas.width, canvas.height);
              const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
              const grey = [];
              for (let i = 0; i < rgba.length; i += 4) grey.push(Math.round((rgba[i] + rgba[i + 1] + rgba[i + 2]) / 3));
              window.capturedFrame = grey;
            };
            document.addEventListener('seeked', (event) => {
              if (event.target.id === 'playback-video' && !window.capturedFrame) window.grabFrame(event.target);
            }, true);
            return true;
            """, [.number(Double(Self.compareWidth)), .number(Double(Self.compareHeight))])
        try await browser.click(browser.findElement("#search-results .search-episode .search-play"))
        var grey: [UInt8] = []
        let clicked = ContinuousClock.now
        try await waitUntil("the player at the moment", timeout: .seconds(40), pollingEvery: .milliseconds(200)) {
            // A moment at the very start of a segment needs no seek: take the first picture then.
            if ContinuousClock.now - clicked > .seconds(10) {
                try await browser.execute("""
                    const video = document.getElementById('playback-video');
                    if (!window.capturedFrame && video && video.readyState >= 2 && !video.seeking) window.grabFrame(video);
                    return true;
                    """)
            }
            let captured = try await browser.execute("return window.capturedFrame ?? null").array ?? []
            grey = captured.compactMap { $0.int }.map { UInt8(clamping: $0) }
            return grey.count == Self.compareWidth * Self.compareHeight
        }
        let hash = try await browser.execute("return decodeURIComponent(location.hash)").string ?? ""
        #expect(hash.hasPrefix("#playback?camera=\(camera.uuidString)&at="), "hash: \(hash)")
        try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-search-demo-playback.png"))
        return grey
    }

    /// The clip frame most like `grey` (mean absolute difference of grey levels).
    static func closestFrame(to grey: [UInt8], in scene: SyntheticScene) -> (index: Int, difference: Double) {
        let renderer = SyntheticRenderer(scene: scene)
        var best = (index: -1, difference: Double.infinity)
        for index in 0..<scene.frameCount {
            let small = shrink(renderer.render(frame: index), width: scene.width, height: scene.height)
            var total = 0
            for (a, b) in zip(small, grey) { total += abs(Int(a) - Int(b)) }
            let difference = Double(total) / Double(grey.count)
            if difference < best.difference { best = (index, difference) }
        }
        return best
    }

    /// An RGB frame as grey levels at the compared size (box average).
    static func shrink(_ rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        var grey = [UInt8](repeating: 0, count: compareWidth * compareHeight)
        let stepX = width / compareWidth, stepY = height / compareHeight
        for row in 0..<compareHeight {
            for column in 0..<compareWidth {
                var sum = 0
                for y in (row * stepY)..<((row + 1) * stepY) {
                    for x in (column * stepX)..<((column + 1) * stepX) {
                        let at = (y * width + x) * 3
                        sum += Int(rgb[at]) + Int(rgb[at + 1]) + Int(rgb[at + 2])
                    }
                }
                grey[row * compareWidth + column] = UInt8(sum / (3 * stepX * stepY))
            }
        }
        return grey
    }

    /// Frames in which a person's box overlaps `area` and is not where it was `frames` earlier.
    static func framesWithSomeoneMoving(in area: PixelBox, truth: SyntheticGroundTruth, over frames: Int) -> [Int] {
        truth.frames.filter { frame in
            frame.objects.contains { object in
                guard object.objectClass == .person, object.box.x < area.maxX, object.box.maxX > area.x,
                      object.box.y < area.maxY, object.box.maxY > area.y else { return false }
                guard let before = truth.box(ofTrack: object.trackId, inFrame: frame.index - frames) else { return true }
                return abs(before.x - object.box.x) + abs(before.y - object.box.y) >= 3
            }
        }.map(\.index)
    }
}
