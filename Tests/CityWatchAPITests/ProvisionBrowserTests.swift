import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The provision view in a real browser: an administrator files a request and marks a box on
/// the camera's picture; a privacy officer approves it and exports it, and the ledger shows it.
@Suite(
    "Provision console in a browser", .serialized,
    .enabled(if: WebDriver.isAvailable && MediaFixtures.available, "needs chromium, chromedriver and ffmpeg")
)
struct ProvisionBrowserTests {
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(3)))
    func aRequestFiledInTheConsoleIsApprovedExportedAndInTheLedger() async throws {
        try await withCityWatch(.sqlite) { app in
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded(.down))
            let admin = try await app.signIn(as: .administrator)
            let (camera, _, _) = try await ProvisionAPITests.recordedCamera(app, start: start, admin: admin)
            let privacy = try await app.signIn(as: .privacyOfficer)
            let formatter = ISO8601DateFormatter()
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: admin.username, password: admin.password)
                    try await browser.execute("location.hash = '#provision'; return true")
                    try await waitUntil("the provision form") {
                        try await browser.execute("return document.querySelector('#provision-form:not([hidden])') !== null") == true
                    }
                    try await browser.execute("""
                        const set = (id, value) => { document.getElementById(id).value = value; };
                        const local = (iso) => { const d = new Date(iso); return new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19); };
                        set('provision-officer', '경위 김수사'); set('provision-agency', '서울강남경찰서 형사과'); set('provision-case', '2026-형제-7777');
                        set('provision-purpose', '절도 용의자 확인'); set('provision-cameras', arguments[0]);
                        set('provision-from', local(arguments[1])); set('provision-to', local(arguments[2]));
                        return true;
                        """, [.string(camera.uuidString), .string(formatter.string(from: start.addingTimeInterval(1))),
                              .string(formatter.string(from: start.addingTimeInterval(5)))])
                    try await browser.click(browser.findElement("#provision-form button[type=submit]"))
                    try await waitUntil("the filed request is shown") {
                        try await browser.execute("return document.querySelector('#provision-detail:not([hidden]) h2')?.textContent ?? ''")
                            .string?.contains("2026-형제-7777") == true
                    }
                    try await browser.click(browser.findElement("#provision-add-box"))
                    try await browser.execute("""
                        const canvas = document.getElementById('provision-canvas');
                        const box = canvas.getBoundingClientRect();
                        for (const [x, y] of [[0.05, 0.05], [0.35, 0.2]]) {
                          canvas.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: box.left + x * box.width, clientY: box.top + y * box.height }));
                        }
                        return true;
                        """)
                    #expect(try await browser.execute("return document.querySelectorAll('#provision-boxes li').length").int == 1)
                    try await browser.click(browser.findElement("#provision-save-boxes"))
                    try await waitUntil("the box is saved") {
                        try await ProvisionRepository(database: app.db).requests().first?.boxes.count == 1
                    }
                }
                let request = try #require(try await ProvisionRepository(database: app.db).requests().first)
                let box = try #require(request.boxes.first)
                #expect(abs(box.box.x - 0.05) < 0.01 && abs(box.box.width - 0.3) < 0.01 && abs(box.box.height - 0.15) < 0.01, "\(box)")
                #expect(request.requestedBy == admin.username && request.status == .requested)

                // A data subject asked to see footage of themselves; the privacy officer refuses it with a reason.
                let subject = try await ProvisionService(database: app.db, configuration: app.cityWatch.configuration)
                    .receiveSubjectRequest(subjectName: "홍길동", contact: "010-0000-0000", description: "정문 앞 11시경 본인 모습", cameraIds: [], actor: "test")
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: privacy.username, password: privacy.password)
                    try await browser.execute("location.hash = '#provision'; return true")
                    let subjectCell = "#subject-requests td[data-subject='\(subject.id.uuidString)']"
                    try await waitUntil("the data-subject request is listed with its answer buttons") {
                        try await browser.execute("return document.querySelector(\"\(subjectCell) .subject-refuse\") !== null") == true
                    }
                    // Refusing without a reason is held back in the page; with one it is sent.
                    _ = try await browser.execute("document.querySelector(\"\(subjectCell) .subject-refuse\").click(); return true")
                    #expect(try await ProvisionRepository(database: app.db).subjectRequest(subject.id)?.status == .open)
                    _ = try await browser.execute("""
                        const note = document.querySelector("\(subjectCell) .subject-note"); note.value = '제3자 다수 촬영, 가림 불가';
                        document.querySelector("\(subjectCell) .subject-refuse").click(); return true
                        """)
                    try await waitUntil("the refusal is stored") {
                        try await ProvisionRepository(database: app.db).subjectRequest(subject.id)?.status == .refused
                    }
                    #expect(try await ProvisionRepository(database: app.db).subjectRequest(subject.id)?.note == "제3자 다수 촬영, 가림 불가")
                    try await Self.open(request.id, in: browser, clicking: "provision-approve")
                    try await waitUntil("the export button after approval") {
                        try await browser.execute("return document.getElementById('provision-export') !== null") == true
                    }
                    try await browser.click(browser.findElement("#provision-export"))
                    try await waitUntil("the download link of the provided footage", timeout: .seconds(60), pollingEvery: .milliseconds(300)) {
                        try await browser.execute("return document.querySelector('#provision-export-result a')?.getAttribute('href') ?? ''")
                            .string?.lowercased() == "/api/provision/requests/\(request.id.uuidString.lowercased())/download"
                    }
                    try await waitUntil("the ledger row") {
                        try await browser.execute("return document.querySelectorAll('#provision-ledger tbody tr').length").int == 1
                    }
                    try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-provision.png"))
                    let said = "return document.getElementById('provision-export-result')?.textContent ?? ''"
                    try await waitUntil("until when the provided footage is kept") {
                        (try await browser.execute(said).string ?? "").contains("kept until")
                    }
                    // Its days over, the export goes; the request says so instead of offering a link that fetches an error.
                    let swept = try await RetentionSweeper(database: { app.db }, configuration: app.cityWatch.configuration,
                                                           clock: { Date().addingTimeInterval(31 * 86_400) }).sweep()
                    #expect(swept.exports.expired.count == 1)
                    try await browser.click(browser.findElement("#provision-requests tr[data-id='\(request.id.uuidString)'] button"))
                    try await waitUntil("the deletion said") {
                        (try await browser.execute(said).string ?? "").contains("was deleted on")
                    }
                    #expect(try await browser.execute("return document.querySelector('#provision-export-result a') === null") == true)
                    let problems = try await browser.browserLog().filter {
                        $0.level == "SEVERE" && !($0.message.contains("/api/session") && $0.message.contains("401"))
                            && !($0.message.contains("/snapshot") && $0.message.contains("409"))
                    }
                    #expect(problems.isEmpty, "browser console errors: \(problems)")
                }
                let exported = try #require(try await ProvisionRepository(database: app.db).request(request.id))
                #expect(exported.status == .exported && exported.decidedBy == privacy.username)
                #expect(try await ProvisionRepository(database: app.db).ledger().map(\.requestId) == [request.id])
            }
        }
    }
    /// The server stops while the console follows an export: the console keeps asking while it
    /// cannot reach the server, shows why the export ended once it answers again, and offers the
    /// export button again (the request is still approved).
    @Test(.timeLimit(.minutes(3)))
    func anExportStoppedByAServerRestartIsExplainedAndOfferedAgain() async throws {
        try await withCityWatch(.sqlite) { app in
            let admin = try await app.signIn(as: .administrator)
            let privacy = try await app.signIn(as: .privacyOfficer)
            let camera = try #require(try await app.makeCameras(1).first)
            // Half an hour to blur: the export is still running when the server stops.
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 7_200).rounded(.down))
            _ = try await app.record(camera: camera, start: start, segments: 900)
            let client = try app.testing()
            let filed = try await client.sendRequest(.POST, "/api/provision/requests", headers: admin.headers, body: .text(
                ProvisionAPITests.requestBody(camera: camera, from: start, to: start.addingTimeInterval(1_800), caseNumber: "2026-형제-8888")))
            let request = try filed.content.decode(ProvisionRequest.self)
            let approved = try await client.sendRequest(.POST, "/api/provision/requests/\(request.id)/approve", headers: privacy.headers)
            #expect(approved.status == .ok, "\(approved.body.string)")

            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: privacy.username, password: privacy.password)
                    try await browser.execute("location.hash = '#provision'; return true")
                    try await Self.open(request.id, in: browser, clicking: "provision-export")
                    let result = "return document.getElementById('provision-export-result')?.textContent ?? ''"
                    try await waitUntil("the export under way", timeout: .seconds(30), pollingEvery: .milliseconds(200)) {
                        try await browser.execute(result).string?.contains("Exporting") == true
                    }
                    #expect(try await browser.execute("return document.getElementById('provision-export').disabled") == true)

                    // The server stops as `serve` does on SIGTERM: no more answers, then the
                    // running exports are stopped and record why.
                    await app.server.shutdown()
                    await app.cityWatch.provisionExports.settle()
                    do {
                        try await waitUntil("the console says it cannot reach the server", timeout: .seconds(20)) {
                            try await browser.execute(result).string?.contains("cannot be reached") == true
                        }
                    } catch {
                        let shown = try await browser.execute("return document.getElementById('provision-detail')?.textContent ?? ''")
                        let job = try await app.cityWatch.provisionExports.job(request.id)
                        let log = try await browser.browserLog().suffix(10)
                        Issue.record("\(error); the view shows: \(shown); job \(String(describing: job)); browser: \(log)")
                        throw error
                    }
                    // Back on the same address.
                    app.http.server.configuration.port = try #require(site.port)
                    try await app.server.start(address: nil)
                    try await waitUntil("the console shows why the export ended", timeout: .seconds(20)) {
                        try await browser.execute("return document.getElementById('provision-detail')?.textContent ?? ''")
                            .string?.contains("the server stopped during the export") == true
                    }
                    #expect(try await browser.execute("return document.getElementById('provision-export').disabled") == false,
                            "the export button stays disabled")
                    #expect(try await ProvisionRepository(database: app.db).request(request.id)?.status == .approved)
                    #expect(try await ProvisionRepository(database: app.db).ledger().isEmpty)
                }
            }
        }
    }

    /// Provided footage destroyed before its days were over (the police case closed): the
    /// request says when, by whom and why, not that its days were over, and offers no link.
    @Test(.timeLimit(.minutes(3)))
    func providedFootageDestroyedEarlySaysByWhomAndWhy() async throws {
        try await withCityWatch(.sqlite) { app in
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded(.down))
            let admin = try await app.signIn(as: .administrator)
            let (camera, _, _) = try await ProvisionAPITests.recordedCamera(app, start: start, admin: admin)
            let privacy = try await app.signIn(as: .privacyOfficer)
            let service = ProvisionService(database: app.db, configuration: app.cityWatch.configuration)
            let draft = ProvisionRequest.Draft(officerName: "경위 김수사", agency: "강남서", caseNumber: "2026-형제-8181", legalBasis: .urgentSafety,
                                               purpose: "실종 아동 수색", cameraIds: [camera], from: start.addingTimeInterval(1), to: start.addingTimeInterval(5))
            let request = try await service.file(draft, actor: admin.username)
            _ = try await service.approve(request.id, actor: privacy.username, role: .privacyOfficer)
            let provided = try await service.export(request.id, actor: privacy.username)
            _ = try await EvidenceService(database: app.db, configuration: app.cityWatch.configuration)
                .destroyExport(provided.manifest.exportId, reason: "사건 종결, 경찰 회신 2026-88", actor: privacy.username, holds: []) { _ in true }
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: privacy.username, password: privacy.password)
                    try await browser.execute("location.hash = '#provision'; return true")
                    try await Self.open(request.id, in: browser)
                    let said = "return document.getElementById('provision-export-result')?.textContent ?? ''"
                    var shown = ""
                    try await waitUntil("the destruction said") {
                        shown = try await browser.execute(said).string ?? ""
                        return shown.contains("destroyed on")
                    }
                    #expect(shown.contains(privacy.username) && shown.contains("사건 종결, 경찰 회신 2026-88"), "\(shown)")
                    #expect(!shown.contains("days were over"), "\(shown)")
                    #expect(try await browser.execute("return document.querySelector('#provision-export-result a') === null") == true)
                }
            }
        }
    }

    /// Opens request `id` from the list.
    static func open(_ id: UUID, in browser: WebDriver) async throws {
        let row = "#provision-requests tr[data-id='\(id.uuidString)'] button"
        try await waitUntil("the request in the list") {
            try await browser.execute("return document.querySelector(arguments[0]) !== null", [.string(row)]) == true
        }
        try await browser.click(browser.findElement(row))
    }

    /// Opens request `id` from the list and clicks the button `button` (an element id) in it.
    static func open(_ id: UUID, in browser: WebDriver, clicking button: String) async throws {
        try await open(id, in: browser)
        try await waitUntil("\(button) in the request") {
            try await browser.execute("return document.getElementById(arguments[0]) !== null", [.string(button)]) == true
        }
        try await browser.click(browser.findElement("#\(button)"))
    }
}
