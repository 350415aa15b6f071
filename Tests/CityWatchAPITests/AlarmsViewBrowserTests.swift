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

/// The Alarms & incidents view in a real browser: an alarm arrives live, is acknowledged and
/// opened as an incident; the incident gets a note, share links for a partner, and is closed —
/// each step checked against the store; a bell alarm stored by another node reaches the wall.
@Suite("Alarms and incidents view in the browser", .serialized)
struct AlarmsViewBrowserTests {
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(2)))
    func anOperatorTakesAnAlarmThroughAnIncidentToItsClose() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(3)
            _ = try await PlatformPartners(database: app.db).add("seoul-112", by: "test")
            let password = "alarms-view-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "deskone", password: password)
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: "deskone", password: password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=alarms]"))
                    try await waitUntil("the alarms view is shown and its feed live", timeout: .seconds(20)) {
                        try await browser.execute("const view = document.getElementById('view-alarms'); return view !== null && !view.hidden && document.getElementById('alarms-feed')?.dataset.state === 'live'") == true
                    }
                    // Not a wall request: the operator stays on this view.
                    let alarm = try await IncidentService(database: app.db, center: app.cityWatch.alarms).raise(Alarm(
                        source: .operator, priority: .high, title: "정문 앞 싸움", cameraIDs: [cameras[1]], raisedAt: Date()))
                    let row = "#alarm-queue .alarm-row[data-alarm='\(alarm.id.uuidString)']"
                    try await waitUntil("the alarm arrives live", timeout: .seconds(10)) {
                        try await browser.execute("return document.querySelector(\"\(row)\")?.dataset.status ?? null") == "open"
                    }
                    #expect(try await browser.execute("return document.querySelector('#main-nav a[data-view=alarms] .nav-badge')?.textContent ?? ''") == "1")
                    #expect(try await browser.execute("return window.citywatchAlarmSounds").int == 1, "a new high alarm sounds")
                    // Live updates redraw rows: each step finds its element and acts in one go in the page.
                    _ = try await browser.execute(Self.type("현장 확인 중", into: "\(row) .alarm-note") + "document.querySelector(\"\(row) .alarm-ack\").click(); return true")
                    try await waitUntil("the alarm is acknowledged") {
                        try await browser.execute("return document.querySelector(\"\(row)\")?.dataset.status ?? null") == "acknowledged"
                    }
                    _ = try await browser.execute("document.querySelector(\"\(row) .alarm-escalate\").click(); return true")
                    try await waitUntil("the incident opens beside the queue") {
                        try await browser.execute("return document.querySelectorAll('#incident-detail .incident-timeline li[data-kind=opened]').length") == 1
                    }
                    let stored = try #require(try await IncidentRepository(database: app.db).alarm(alarm.id))
                    #expect(stored.status == .escalated && stored.notes.map(\.text) == ["현장 확인 중"])
                    let incidentID = try #require(stored.incidentID)

                    _ = try await browser.execute(Self.type("용의자 검은 모자", into: "#incident-note") + "document.querySelector('.incident-note-form button[type=submit]').click(); return true")
                    try await waitUntil("the note is in the timeline") {
                        try await browser.execute("return [...document.querySelectorAll('#incident-detail .incident-timeline li[data-kind=note]')].some((li) => li.textContent.includes('검은 모자'))") == true
                    }
                    _ = try await browser.execute("document.querySelector('.incident-share summary').click(); return true")
                    try await waitUntil("the share panel is open") {
                        try await browser.execute("return document.querySelector('.incident-share')?.open === true") == true
                    }
                    _ = try await browser.execute(Self.type("seoul-112", into: "#incident-share-partner") + "document.querySelector('.incident-share button[type=submit]').click(); return true")
                    try await waitUntil("share links are shown") {
                        try await browser.execute("return document.querySelector('#incident-share-result .share-url')?.textContent ?? ''").string?.contains("/api/shared/") == true
                    }
                    let link = try #require(try await browser.execute("return document.querySelector('#incident-share-result .share-url').textContent").string)
                    let shared = try await app.testing().sendRequest(.GET, String(link[link.range(of: "/api/shared/")!.lowerBound...]))
                    #expect(shared.status == .ok, "the link works without a session: \(shared.body.string)")
                    // The links given out are listed; revoked from here, the link stops working.
                    try await waitUntil("the share is listed as active") {
                        try await browser.execute("return document.querySelector('#incident-shares .incident-share-item')?.dataset.state ?? ''") == "active"
                    }
                    _ = try await browser.execute("document.querySelector('#incident-shares .share-revoke').click(); return true")
                    try await waitUntil("the share is listed as revoked") {
                        try await browser.execute("return document.querySelector('#incident-shares .incident-share-item')?.dataset.state ?? ''") == "revoked"
                    }
                    let afterRevoke = try await app.testing().sendRequest(.GET, String(link[link.range(of: "/api/shared/")!.lowerBound...]))
                    #expect(afterRevoke.status == .unauthorized, "a revoked link is refused")

                    _ = try await browser.execute("document.querySelector('#incident-close').click(); return true")
                    try await waitUntil("the incident is closed") {
                        try await browser.execute("return document.querySelectorAll('#incident-detail .incident-timeline li[data-kind=closed]').length") == 1
                    }
                    #expect(try await IncidentRepository(database: app.db).incident(incidentID)?.status == .closed)
                    // A bell pressed at another node of a cluster: stored, but not on this node's live feed.
                    // The console's 15-second look at the queue puts its camera on the wall all the same.
                    let elsewhere = Alarm(source: .bell, sourceRef: "B-9", priority: .critical, title: "비상벨 · 다른 노드", cameraIDs: [cameras[2]],
                                          raisedAt: Date(), toWall: true)
                    try await IncidentRepository(database: app.db).save(elsewhere)
                    try await waitUntil("the other node's bell reaches this wall", timeout: .seconds(25)) {
                        try await browser.execute("return document.querySelector(\"#wall .wall-tile[data-camera='\(cameras[2].uuidString)']\") !== null") == true
                    }
                    #expect(try await browser.execute("return location.hash") == "#wall")
                    #expect(try await browser.execute("return window.citywatchAlarmSounds").int == 2, "the other node's critical alarm sounds too")
                    let actions = Set(try await AuditLog(database: app.db).list(.init(actor: "deskone")).map(\.action))
                    #expect(actions.isSuperset(of: ["alarm.acknowledge", "alarm.escalate", "incident.open", "incident.note", "incident.update"]))
                }
            }
        }
    }

    /// A burst of false alarms: the operator ticks two, dismisses both with one reason, then
    /// takes one dismissal back from the finished alarms.
    @Test(.timeLimit(.minutes(2)))
    func twoFalseAlarmsAreDismissedTogetherAndOneIsReopened() async throws {
        try await withCityWatch(.sqlite) { app in
            let password = "alarms-bulk-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "desktwo", password: password)
            let service = IncidentService(database: app.db, center: app.cityWatch.alarms)
            var raised: [Alarm] = []
            for index in 0..<3 {
                raised.append(try await service.raise(Alarm(source: .operator, priority: .normal, title: "오탐 \(index)", raisedAt: Date())))
            }
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: "desktwo", password: password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=alarms]"))
                    try await waitUntil("the queue shows the three alarms", timeout: .seconds(20)) {
                        try await browser.execute("const view = document.getElementById('view-alarms'); return view !== null && !view.hidden && document.querySelectorAll('#alarm-queue .alarm-row').length === 3") == true
                    }
                    let row = { (alarm: Alarm) in "#alarm-queue .alarm-row[data-alarm='\(alarm.id.uuidString)']" }
                    _ = try await browser.execute("document.querySelector(\"\(row(raised[0])) .alarm-select\").click(); document.querySelector(\"\(row(raised[2])) .alarm-select\").click(); return true")
                    try await waitUntil("the bulk bar counts two") {
                        try await browser.execute("const bar = document.getElementById('alarm-bulk'); return !bar.hidden && bar.textContent.includes('2건')") == true
                    }
                    // Without a reason the dismissal is held back and says why.
                    _ = try await browser.execute("document.getElementById('alarm-bulk-dismiss').click(); return true")
                    try await waitUntil("the missing reason is named") {
                        try await browser.execute("return document.querySelector('#view-alarms .message-warn')?.textContent ?? ''").string?.contains("사유") == true
                    }
                    #expect(try await IncidentRepository(database: app.db).alarm(raised[0].id)?.status == .open)
                    _ = try await browser.execute(Self.type("CCTV 점검 중 오탐", into: "#alarm-bulk-note") + "document.getElementById('alarm-bulk-dismiss').click(); return true")
                    try await waitUntil("only the third alarm is left") {
                        try await browser.execute("return [...document.querySelectorAll('#alarm-queue .alarm-row')].map((row) => row.dataset.alarm).join()") == .string(raised[1].id.uuidString)
                    }
                    #expect(try await browser.execute("return document.getElementById('alarm-bulk').hidden") == true)
                    let stored = try await IncidentRepository(database: app.db).alarm(raised[2].id)
                    #expect(stored?.status == .dismissed && stored?.notes.last?.text == "CCTV 점검 중 오탐")

                    _ = try await browser.execute("document.getElementById('alarms-finished').click(); return true")
                    try await waitUntil("the dismissed alarms are listed with a reopen button") {
                        try await browser.execute("return document.querySelector(\"\(row(raised[2])) .alarm-reopen\") !== null") == true
                    }
                    _ = try await browser.execute("document.querySelector(\"\(row(raised[2])) .alarm-reopen\").click(); return true")
                    try await waitUntil("the reopened alarm is open again") {
                        try await browser.execute("return document.querySelector(\"\(row(raised[2]))\")?.dataset.status ?? null") == "open"
                    }
                    #expect(try await IncidentRepository(database: app.db).alarm(raised[2].id)?.status == .open)
                    #expect(try await IncidentRepository(database: app.db).alarm(raised[0].id)?.status == .dismissed)
                    // The bulk dismissal's Undo reopens the rest; the one reopened already is named as not reopened.
                    _ = try await browser.execute("document.getElementById('alarm-bulk-undo').click(); return true")
                    try await waitUntil("the undo says what it did") {
                        try await browser.execute("return document.getElementById('alarm-bulk-notice')?.textContent ?? ''").string?.contains("1 reopened, 1 not") == true
                    }
                    #expect(try await IncidentRepository(database: app.db).alarm(raised[0].id)?.status == .open)
                }
            }
        }
    }

    /// The supervisor opens a drill window for one school's bell from the console; a press of
    /// that bell then shows in the press log as a drill, and the window is listed.
    @Test(.timeLimit(.minutes(2)))
    func aDrillWindowOpenedInTheConsoleMarksThePressInTheLog() async throws {
        try await withCityWatch(.sqlite) { app in
            let folder = try RepositoryPaths.temporaryFolder("bellduty")
            defer { try? FileManager.default.removeItem(at: folder) }
            let sealer = try CredentialSealer.load(base64: nil, folder: folder.appendingPathComponent("keys").path)
            let bells = try await DemoDistrict(database: app.db, dataDirectory: folder.path).prepareBells(sealer: sealer)
            let number = try #require(bells.first)
            let password = "bell-duty-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "deskthree", password: password)
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: "deskthree", password: password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=alarms]"))
                    try await waitUntil("the alarms view is shown and its feed live", timeout: .seconds(20)) {
                        try await browser.execute("const view = document.getElementById('view-alarms'); return view !== null && !view.hidden && document.getElementById('alarms-feed')?.dataset.state === 'live'") == true
                    }
                    _ = try await browser.execute("document.querySelector('#bell-duty summary').click(); return true")
                    try await waitUntil("the panel says no drill window is open") {
                        try await browser.execute("return document.querySelector('#bell-drills .hint') !== null && document.querySelector('#bell-presses .hint') !== null") == true
                    }
                    _ = try await browser.execute(Self.type(number, into: "#bell-drill-bell") + Self.type("10", into: "#bell-drill-minutes")
                        + Self.type("1학년 안전교육", into: "#bell-drill-note") + "document.querySelector('#bell-drill-form button[type=submit]').click(); return true")
                    try await waitUntil("the drill window is listed") {
                        try await browser.execute("return document.querySelector('#bell-drills li[data-drill]')?.textContent ?? ''").string?.contains(number) == true
                    }
                    let repository = BellPressRepository(database: app.db)
                    let bell = try #require(try await repository.bell(number))
                    let windows = try await repository.drills(notEndedBy: Date())
                    #expect(windows.count == 1 && windows.first?.bellID == bell.id && windows.first?.note == "1학년 안전교육")
                    #expect(windows.first.map { abs($0.until.timeIntervalSince($0.from) - 600) < 1 } == true)

                    // The children press the real bell: the press is a drill, shown so in the log.
                    let secret = try sealer.open(try #require(try await repository.sealedSecret(bell: bell.id)))
                    let time = Int64(Date().timeIntervalSince1970)
                    let nonce = UUID().uuidString.replacing("-", with: "")
                    let press = BellPressService.Press(bell: number, time: String(time), nonce: nonce,
                                                       signature: BellPressService.signature(secret: secret, bell: number, time: time, nonce: nonce, drill: false),
                                                       drill: false)
                    let alarm = try await BellPressService(database: app.db, center: app.cityWatch.alarms, sealer: sealer).press(press)
                    #expect(alarm.drill)
                    try await waitUntil("the press is in the log, marked as a drill") {
                        try await browser.execute("const row = document.querySelector(\"#bell-presses li[data-bell='\(number)']\"); return row ? row.dataset.drill : null") == "true"
                    }
                }
            }
        }
    }

    /// Script that types `text` into the element at `selector` as a keyboard would (value and an input event).
    static func type(_ text: String, into selector: String) -> String {
        "{ const field = document.querySelector(\"\(selector)\"); field.value = \"\(text)\"; field.dispatchEvent(new Event('input', { bubbles: true })); } "
    }
}
