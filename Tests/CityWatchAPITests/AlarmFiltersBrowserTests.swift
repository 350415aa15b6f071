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

/// A flood an operator can work in the console: a storm alarm shows how many alarms it stands
/// for and its span, growing while they come; the alarms and events views narrow by kind,
/// camera, severity and state, and a set filter says so.
@Suite("Alarm storms and filters in the browser", .serialized)
struct AlarmFiltersBrowserTests {
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(2)))
    func aStormShowsItsCountAndSpanAndTheFiltersNarrowBothViews() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let bridge = AnalyticsAlarmBridge(hub: AnalyticsEventHub(), center: app.cityWatch.alarms, directory: app.cityWatch.directory,
                                              database: { app.db }, storms: AlarmStormPolicy(threshold: 2, window: 600))
            let tripwire = UUID(), gate = UUID()
            let t0 = Date().addingTimeInterval(-300)
            let repository = AnalyticsRepository(database: app.db)
            /// Raises (and stores, as the analytics writer does) an event of `kind` on `camera`.
            func raise(_ kind: String, on camera: UUID, at seconds: Double) async throws {
                let event = AnalyticsEvent(cameraID: camera, ruleID: kind == "intrusion" ? gate : tripwire, ruleName: kind == "intrusion" ? "정문 침입" : "통행선",
                                           kind: kind, at: t0.addingTimeInterval(seconds), trackIDs: [Int(seconds)], boxes: [], classes: [.person])
                try await repository.insert(event, snapshotPath: nil)
                try await bridge.handle(.raised(event))
            }
            for index in 0..<6 { try await raise("lineCrossing", on: cameras[0], at: Double(index) * 20) }
            try await raise("intrusion", on: cameras[1], at: 30)

            let password = "filters-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "deskfilter", password: password)
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: "deskfilter", password: password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=alarms]"))
                    try await waitUntil("the queue shows the storm", timeout: .seconds(20)) {
                        try await browser.execute("return document.querySelector('#alarm-queue .alarm-storm')?.dataset.count ?? null") == "4"
                    }
                    let stormText = try await browser.execute("return document.querySelector('#alarm-queue .alarm-storm').textContent").string ?? ""
                    #expect(stormText.contains("4건") && stormText.contains("1분"), "count and span (60 s → 1 min): \(stormText)")
                    // Another alarm of the storm: the same row counts on, live.
                    try await raise("lineCrossing", on: cameras[0], at: 200)
                    try await waitUntil("the storm counts on") {
                        try await browser.execute("return document.querySelector('#alarm-queue .alarm-storm')?.dataset.count ?? null") == "5"
                    }
                    let queued = "return document.querySelectorAll('#alarm-queue .alarm-row').length"
                    #expect(try await browser.execute(queued) == 4, "two alone, the storm, the intrusion")

                    // Severity high: the intrusion alone; the bar says a filter is set.
                    _ = try await browser.execute(Self.choose("high", in: "#alarms-filter-severity"))
                    try await waitUntil("only the intrusion is listed") { try await browser.execute(queued) == 1 }
                    #expect(try await browser.execute("return document.querySelector('#alarm-queue .alarm-row .alarm-title').textContent").string?.contains("정문 침입") == true)
                    #expect(try await browser.execute("return document.getElementById('alarms-filters').dataset.active") == "1")
                    // Camera: the tripwire's camera is offered by its label; with severity high, nothing.
                    _ = try await browser.execute(Self.choose(cameras[0].uuidString, in: "#alarms-filter-camera"))
                    try await waitUntil("nothing matches both") {
                        try await browser.execute("return document.querySelector('#alarm-queue .empty')?.textContent ?? ''").string?.contains("No alarm matches") == true
                    }
                    _ = try await browser.execute(Self.choose("", in: "#alarms-filter-severity"))
                    try await waitUntil("the tripwire camera's three") { try await browser.execute(queued) == 3 }
                    // State: the storm dismissed, then only dismissed ones asked for.
                    let storm = try #require(try await IncidentRepository(database: app.db).alarms(includeFinished: false, limit: 50).first { $0.storm != nil })
                    _ = try await IncidentService(database: app.db, center: app.cityWatch.alarms).act(.dismiss, alarm: storm.id, by: "deskfilter", note: "행인")
                    _ = try await browser.execute("document.getElementById('alarms-filter-clear').click(); return true")
                    _ = try await browser.execute(Self.choose("dismissed", in: "#alarms-filter-state"))
                    try await waitUntil("the dismissed storm alone") {
                        try await browser.execute("return [...document.querySelectorAll('#alarm-queue .alarm-row')].map((row) => row.dataset.status).join(',')") == "dismissed"
                    }

                    // The events view: kind, then camera.
                    try await browser.click(browser.findElement("#main-nav a[data-view=events]"))
                    let listed = "return document.querySelectorAll('#events-list .event-row').length"
                    // Analytics do not run in this test's server (no live feed): the event raised after sign-in comes with a reload.
                    _ = try await browser.execute("document.getElementById('events-reload').click(); return true")
                    try await waitUntil("every event listed", timeout: .seconds(15)) { try await browser.execute(listed) == 8 }
                    _ = try await browser.execute(Self.choose("intrusion", in: "#events-filter-kind"))
                    try await waitUntil("only the intrusion") {
                        try await browser.execute("return [...document.querySelectorAll('#events-list .event-row')].map((row) => row.dataset.kind).join(',')") == "intrusion"
                    }
                    _ = try await browser.execute(Self.choose("", in: "#events-filter-kind"))
                    try await waitUntil("the camera filter offers both cameras") {
                        try await browser.execute("return document.querySelectorAll('#events-filter-camera option').length") == 3
                    }
                    _ = try await browser.execute(Self.choose(cameras[0].uuidString, in: "#events-filter-camera"))
                    try await waitUntil("the tripwire camera's seven") {
                        try await browser.execute("const rows = [...document.querySelectorAll('#events-list .event-row')]; return rows.length === 7 && rows.every((row) => row.dataset.camera === '\(cameras[0].uuidString)')") == true
                    }
                }
            }
        }
    }

    /// Script that picks `value` in the select `selector` as a user would (a change event follows).
    static func choose(_ value: String, in selector: String) -> String {
        "const select = document.querySelector('\(selector)'); select.value = '\(value)'; select.dispatchEvent(new Event('change')); return select.value"
    }
}
