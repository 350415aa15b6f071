import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor

/// The wall's selective mode in a real browser: it fills itself from `/api/wall/selective` with
/// the reason on each tile, keeps pinned tiles, and lets go of cameras no longer needed.
@Suite("Selective wall in the browser", .serialized)
struct SelectiveWallBrowserTests {
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(2)))
    func theWallFillsItselfWithReasonsAndKeepsPinnedTiles() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(4)
            let service = IncidentService(database: app.db, center: app.cityWatch.alarms)
            _ = try await service.open(.init(kind: .crime, title: "강도 사건", grade: 1, occurredAt: Date(), cameraIDs: [cameras[2]]), by: "kim")
            let alarm = try await service.raise(Alarm(source: .operator, priority: .high, title: "싸움 신고", cameraIDs: [cameras[3]], raisedAt: Date()))
            let other = try await service.raise(Alarm(source: .operator, priority: .normal, title: "소음", cameraIDs: [cameras[0]], raisedAt: Date()))
            let password = "selective-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "selector", password: password)
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: "selector", password: password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=wall]"))
                    try await waitUntil("the wall is shown", timeout: .seconds(20)) {
                        try await browser.execute("const view = document.getElementById('view-wall'); return view !== null && !view.hidden") == true
                    }
                    try await browser.click(browser.findElement("#wall-selective"))
                    let order = "return [...document.querySelectorAll('#wall .wall-tile[data-camera]')].map((tile) => tile.dataset.camera + '|' + (tile.querySelector('.tile-reason')?.textContent ?? '')).join(',')"
                    try await waitUntil("the wall fills itself", timeout: .seconds(20)) {
                        try await browser.execute(order).string?.split(separator: ",").count == 3
                    }
                    let tiles = try #require(try await browser.execute(order).string).split(separator: ",").map { $0.split(separator: "|").map(String.init) }
                    #expect(tiles.map { $0[0] } == [cameras[2], cameras[3], cameras[0]].map(\.uuidString))
                    #expect(tiles[0][1].contains("사건") && tiles[1][1].contains("싸움 신고") && tiles[2][1].contains("소음"))
                    // Pin the third tile; then both alarms are dismissed: the pinned camera stays, the other goes.
                    try await browser.click(browser.findElement("#wall .wall-tile[data-camera='\(cameras[0].uuidString)'] .tile-pin"))
                    _ = try await service.act(.dismiss, alarm: alarm.id, by: "kim", note: "오보")
                    _ = try await service.act(.dismiss, alarm: other.id, by: "kim", note: "해결")
                    // Switching the mode off and on asks again at once (otherwise every 15 s).
                    try await browser.click(browser.findElement("#wall-selective"))
                    try await browser.click(browser.findElement("#wall-selective"))
                    try await waitUntil("the wall lets go of the dismissed alarm's camera", timeout: .seconds(20)) {
                        try await browser.execute(order).string?.split(separator: ",").count == 2
                    }
                    let after = try #require(try await browser.execute(order).string)
                    #expect(after.contains(cameras[2].uuidString) && after.contains(cameras[0].uuidString) && !after.contains(cameras[3].uuidString))
                    #expect(try await browser.execute("return document.querySelector(\"#wall .wall-tile[data-camera='\(cameras[0].uuidString)'] .tile-pin\").getAttribute('aria-pressed')") == "true")
                }
            }
        }
    }
}
