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

/// A 112 message from the integrated platform opens an incident that appears on the operator's
/// map at once (over the live feed), and its cast-net is drawn there from the marker's popup.
@Suite("Incident on the map in the browser", .serialized)
struct IncidentMapBrowserTests {
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(2)))
    func aPoliceReportOpensAnIncidentWhoseCastNetIsDrawnOnTheMap() async throws {
        try #require(FileManager.default.fileExists(atPath: RepositoryPaths.gangnamRoadNetwork.path), "needs ../shared/data/gangnam.net.xml")
        try await withCityWatch(.sqlite) { app in
            _ = try await app.makeCameras(40)
            let (_, secret) = try await PlatformPartners(database: app.db).add("seoul-112", by: "test")
            let password = "incident-map-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "mapwatch", password: password)
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: "mapwatch", password: password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=map]"))
                    try await waitUntil("the map and the alarm feed are ready", timeout: .seconds(30)) {
                        try await browser.execute("return document.getElementById('map')?.dataset.ready === 'true' && document.getElementById('alarms-feed')?.dataset.state === 'live'") == true
                    }
                    try await waitUntil("the incidents layer has loaded (none yet)", timeout: .seconds(20)) {
                        try await browser.execute("return document.getElementById('map').dataset.incidents ?? null").string == "0"
                    }
                    let report = PlatformLinkAPITests.message(at: Date().addingTimeInterval(-240))
                    let answer = try await PlatformLinkAPITests.send(app, report, secret: secret)
                    #expect(answer.status == .ok || answer.status == .created, "\(answer.body.string)")
                    try await waitUntil("the incident appears on the map", timeout: .seconds(20)) {
                        try await browser.execute("return document.getElementById('map').dataset.incidents ?? null").string == "1"
                    }
                    // The report's cast-net went to the wall (the console showed it); back to the map.
                    try await waitUntil("the report's cameras go to the wall", timeout: .seconds(20)) {
                        try await browser.execute("return location.hash") == "#wall"
                    }
                    #expect(try await browser.execute("return document.querySelectorAll('#wall .wall-tile[data-camera]').length").int ?? 0 > 0)
                    try await browser.click(browser.findElement("#main-nav a[data-view=map]"))
                    // The marker may lie outside the part of the district on screen: click it as the page would.
                    _ = try await browser.execute("document.querySelector('#map .incident-marker').click(); return true")
                    try await waitUntil("the incident's popup opens", timeout: .seconds(10)) {
                        try await browser.execute("return document.querySelector('.incident-popup .incident-castnet') !== null") == true
                    }
                    _ = try await browser.execute("document.querySelector('.incident-popup .incident-castnet').click(); return true")
                    try await waitUntil("the incident's cast-net is drawn", timeout: .seconds(30)) {
                        try await browser.execute("return document.getElementById('map').dataset.castnetState ?? null").string == "shown"
                    }
                    let rings = try await browser.execute("return Number(document.getElementById('map').dataset.castnetRings)").int
                    let cameras = try await browser.execute("return Number(document.getElementById('map').dataset.castnetCameras)").int
                    let roads = try await browser.execute("return Number(document.getElementById('map').dataset.castnetRoads)").int
                    #expect(rings == 2 && (cameras ?? 0) > 0 && (roads ?? 0) > 0, "rings \(String(describing: rings)), cameras \(String(describing: cameras)), roads \(String(describing: roads))")
                    _ = try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-incident-map.png"))
                }
            }
        }
    }
}
