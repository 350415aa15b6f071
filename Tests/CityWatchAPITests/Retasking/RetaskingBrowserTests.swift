import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor

/// The switch to crime watch on a camera's detail in a real browser: the form, the state with
/// time left and the list in the cameras view's header, and the revert button.
@Suite(
    "Re-tasking in a browser", .serialized,
    .enabled(if: WebDriver.isAvailable, "needs \(WebDriver.chromiumPath) and chromedriver on PATH (CI installs both)")
)
struct RetaskingBrowserTests {
    static let screenshot = RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-retask.png")

    @Test(.timeLimit(.minutes(2)))
    func aParkingCameraIsSwitchedToCrimeWatchAndBackOnItsDetail() async throws {
        try await withCityWatch(.sqlite) { app in
            let (parking, crime) = try await app.makeParkingAndCrimeCameras()
            let console = ConsoleBrowserTests()
            let password = "retask-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "retaskadmin", password: password)
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: "retaskadmin", password: password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=cameras]"))
                    try await waitUntil("the camera table lists both cameras") {
                        try await browser.execute("return document.querySelectorAll('#camera-table tr.camera-row').length").int == 2
                    }
                    // A crime-prevention camera has no switch; the parking camera has.
                    try await openDetail(browser, camera: crime)
                    #expect(try await browser.execute("return document.querySelector('tr.camera-detail #retask-form') !== null") == false)
                    try await openDetail(browser, camera: parking)
                    try await waitUntil("the switch form is shown") {
                        try await browser.execute("return document.querySelector('tr.camera-detail #retask-form') !== null") == true
                    }
                    try await browser.sendKeys("robbery reported at the car park", to: browser.findElement("#retask-reason"))
                    _ = try await browser.execute("const s = document.getElementById('retask-minutes'); s.value = '30'; return s.value")
                    try await browser.click(browser.findElement("#retask-submit"))
                    try await waitUntil("the detail shows the switch in force") {
                        try await browser.execute("return document.querySelector('#camera-retask .retask-active') !== null") == true
                    }
                    let stored = try #require(try await RetaskingRepository(database: app.db).unreverted(camera: parking))
                    #expect(abs(stored.until.timeIntervalSince(stored.from) - 1_800) < 1 && stored.by == "retaskadmin")
                    let left = try await browser.execute("return document.querySelector('#camera-retask .retask-left').textContent").string ?? ""
                    #expect(left.contains("30분") || left.contains("29분"), "time left: \(left)")
                    try await waitUntil("the cameras view's header lists the camera on crime watch") {
                        (try await browser.execute("const el = document.getElementById('retask-summary'); return el && !el.hidden ? el.textContent : ''").string ?? "")
                            .contains("parking street 1")
                    }
                    let purpose = try await browser.execute("return document.querySelector('tr.camera-row[data-camera=\"\(parking)\"] .camera-purpose').textContent").string ?? ""
                    #expect(purpose.contains("생활방범") && purpose.contains("until"), "purpose cell: \(purpose)")
                    _ = try await browser.screenshot(to: Self.screenshot)

                    // The wall was told: the camera is on it, its tile marked as on crime watch until its end.
                    try await browser.click(browser.findElement("#main-nav a[data-view=wall]"))
                    try await waitUntil("the camera's wall tile shows it is on crime watch") {
                        let badge = try await browser.execute("""
                            const tile = document.querySelector('.wall-tile[data-camera="\(parking)"]');
                            const badge = tile?.querySelector('.tile-retask');
                            return badge && !badge.hidden && tile.dataset.placement === 'crimeWatch' ? badge.textContent : '';
                            """).string ?? ""
                        return badge.contains("방범 ~")
                    }
                    try await browser.click(browser.findElement("#main-nav a[data-view=cameras]"))
                    try await waitUntil("the camera table is back") {
                        try await browser.execute("return document.querySelectorAll('#camera-table tr.camera-row').length").int == 2
                    }
                    if try await browser.execute("return document.getElementById('retask-revert') !== null") != true {
                        try await openDetail(browser, camera: parking)
                    }
                    try await browser.click(browser.findElement("#retask-revert"))
                    try await waitUntil("the form is back after the revert") {
                        try await browser.execute("return document.querySelector('tr.camera-detail #retask-form') !== null") == true
                    }
                    #expect(try await RetaskingRepository(database: app.db).unreverted(camera: parking) == nil)
                    // The 401 of the boot's session check, and the 404 of a camera without a stream, are expected.
                    let problems = try await browser.browserLog().filter {
                        $0.level == "SEVERE" && !($0.message.contains("/api/session") && $0.message.contains("401"))
                            && !($0.message.contains("/stream") && $0.message.contains("404"))
                    }
                    #expect(problems.isEmpty, "browser console errors: \(problems)")
                }
            }
        }
    }

    /// Opens the detail row of `camera` in the camera table.
    func openDetail(_ browser: WebDriver, camera: UUID) async throws {
        try await browser.click(browser.findElement("#camera-table tr.camera-row[data-camera=\"\(camera)\"] .camera-open"))
        try await waitUntil("the detail of \(camera) is open") {
            try await browser.execute("return document.querySelector('tr.camera-detail[data-camera=\"\(camera)\"]') !== null") == true
        }
    }
}
