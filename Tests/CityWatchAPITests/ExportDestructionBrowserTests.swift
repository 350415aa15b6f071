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

/// A privacy officer destroys an export whose purpose is met from the retention view, in a real
/// browser: told when the reason is missing or a legal hold keeps it, then seeing it destroyed.
@Suite(
    "Export destruction in a browser", .serialized,
    .enabled(if: WebDriver.isAvailable && MediaFixtures.available, "needs chromium, chromedriver and ffmpeg")
)
struct ExportDestructionBrowserTests {
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(3)))
    func aPrivacyOfficerDestroysAnExportFromTheRetentionView() async throws {
        try await withCityWatch(.sqlite) { app in
            let (cameras, start, _, _, privacy) = try await ExportDestructionTests.recordedCameras(app)
            let service = EvidenceService(database: app.db, configuration: app.cityWatch.configuration)
            var made: [(id: UUID, folder: String)] = []
            for (index, camera) in cameras.enumerated() {
                let (manifest, folder) = try await service.export(cameraIDs: [camera], from: start.addingTimeInterval(1), to: start.addingTimeInterval(5),
                                                                  reason: "민원 2026-9\(index)", actor: "operator")
                made.append((manifest.exportId, folder))
            }
            _ = try await RecordingRepository(database: app.db).addHold(camera: cameras[1], from: start, to: start.addingTimeInterval(60),
                                                                        reason: "수사 협조", by: "privacy", now: Date())

            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: privacy.username, password: privacy.password)
                    try await browser.click(browser.findElement("#main-nav a[data-view=retention]"))
                    try await waitUntil("both exports listed", timeout: .seconds(15)) {
                        try await browser.execute("return document.querySelectorAll('#exports-table tr[data-export] button[data-destroy]').length") == 2
                    }
                    func destroy(_ id: UUID, reason: String) async throws -> String {
                        try await browser.click(browser.findElement("#exports-table button[data-destroy='\(id.uuidString)']"))
                        #expect(try await browser.execute("return document.activeElement?.id").string == "export-destroy-reason")
                        _ = try await browser.execute("document.getElementById('export-destroy-reason').value = arguments[0]; return true",
                                                      [.string(reason)])
                        try await browser.click(browser.findElement("#export-destroy-confirm"))
                        var said = ""
                        try await waitUntil("an answer", timeout: .seconds(10)) {
                            said = try await browser.execute("""
                                const form = document.getElementById('export-destroy-form');
                                return form.hidden ? 'closed' : document.getElementById('export-destroy-result').textContent
                                """).string ?? ""
                            return !said.isEmpty
                        }
                        return said
                    }
                    // The held one: the officer is told why, and it stays.
                    let held = try await destroy(made[1].id, reason: "사건 종결 2026-80")
                    #expect(held.contains("hold"), "\(held)")
                    #expect(FileManager.default.fileExists(atPath: made[1].folder))
                    try await browser.click(browser.findElement("#export-destroy-cancel"))
                    // No reason: named, nothing sent.
                    let bare = try await destroy(made[0].id, reason: " ")
                    #expect(bare.contains("Reason"), "\(bare)")
                    #expect(try await AuditLog(database: app.db).list(.init(action: EvidenceService.destroyedAction, exactAction: true)).isEmpty)

                    _ = try await browser.execute("document.getElementById('export-destroy-reason').value = '경찰 제공 완료, 사건 종결 2026-81'; return true")
                    try await browser.click(browser.findElement("#export-destroy-confirm"))
                    let row = "#exports-table tr[data-export='\(made[0].id.uuidString)']"
                    try await waitUntil("the row to say destroyed", timeout: .seconds(10)) {
                        let shown = try await browser.execute("return document.querySelector(arguments[0])?.textContent ?? ''", [.string(row)]).string ?? ""
                        return shown.contains("destroyed") && shown.contains(privacy.username) && shown.contains("사건 종결 2026-81")
                    }
                    #expect(try await browser.execute("return document.querySelector(arguments[0] + ' button[data-destroy]') === null",
                                                      [.string(row)]) == .bool(true))
                    #expect(!FileManager.default.fileExists(atPath: made[0].folder))
                    let line = try await AuditLog(database: app.db).list(.init(action: EvidenceService.destroyedAction, exactAction: true))
                    #expect(line.count == 1 && line.first?.actor == privacy.username && line.first?.target == made[0].id.uuidString)
                    try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/retention-export-destroyed.png"))

                    // One camera's exports: picked in the filter, then every camera's again.
                    let listed = "return [...document.querySelectorAll('#exports-table tr[data-export]')].map((row) => row.dataset.export)"
                    _ = try await browser.execute("const box = document.getElementById('exports-filter'); box.open = true; return true")
                    let pick = "#exports-cameras-list li[data-camera='\(cameras[1].uuidString)'] button.camera-pick"
                    try await waitUntil("the camera in the filter's list", timeout: .seconds(10)) {
                        try await browser.execute("return document.querySelector(arguments[0]) !== null", [.string(pick)]) == true
                    }
                    try await browser.click(browser.findElement(pick))
                    try await waitUntil("only that camera's export", timeout: .seconds(10)) {
                        try await browser.execute(listed).array?.compactMap(\.string) == [made[1].id.uuidString]
                    }
                    #expect(try await browser.execute("return document.getElementById('exports-filter-clear').hidden") == .bool(false))
                    #expect(try await browser.execute("return document.getElementById('exports-count').textContent").string?.contains("latest 1") == true)
                    try await browser.click(browser.findElement("#exports-filter-clear"))
                    try await waitUntil("both exports again", timeout: .seconds(10)) {
                        Set(try await browser.execute(listed).array?.compactMap(\.string) ?? []) == Set(made.map(\.id.uuidString))
                    }
                    // Two exports are fewer than a page: nothing more to show.
                    #expect(try await browser.execute("return document.getElementById('exports-more').hidden") == .bool(true))

                    // 150 older exports of the first camera, logged after it (oldest last, as an import or a
                    // slow export might): a page of 100, then "Show more" adds the rest, each once.
                    let iso = ISO8601DateFormatter()
                    let older = (0..<150).map { index in
                        let at = start.addingTimeInterval(-86_400 - Double(index) * 60)
                        return AuditEvent(actor: "operator", action: "video.export", target: UUID().uuidString, details: [
                            "cameras": .list([.string(cameras[0].uuidString)]), "reason": .string("민원 2025-\(index)"),
                            "from": .string(iso.string(from: at.addingTimeInterval(-600))), "to": .string(iso.string(from: at.addingTimeInterval(-540))),
                            "madeAt": .string(iso.string(from: at)), "files": 1, "masked": .list([]),
                        ])
                    }
                    _ = try await AuditLog(database: app.db).append(contentsOf: older)
                    let first = "#exports-cameras-list li[data-camera='\(cameras[0].uuidString)'] button.camera-pick"
                    try await browser.click(browser.findElement(first))
                    try await waitUntil("a page of the first camera's exports", timeout: .seconds(10)) {
                        try await browser.execute(listed).array?.count == 100
                    }
                    #expect(try await browser.execute("return document.getElementById('exports-more').hidden") == .bool(false))
                    try await browser.click(browser.findElement("#exports-more"))
                    try await waitUntil("the rest below", timeout: .seconds(10)) { try await browser.execute(listed).array?.count == 151 }
                    let ids = try await browser.execute(listed).array?.compactMap(\.string) ?? []
                    #expect(Set(ids).count == 151 && ids.last == made[0].id.uuidString, "each once, the latest logged first")
                    #expect(try await browser.execute("return document.getElementById('exports-more').hidden") == .bool(true))
                    #expect(try await browser.execute("return document.getElementById('exports-count').textContent").string?.contains("all of them") == true)
                    let problems = try await browser.browserLog().filter { $0.level == "SEVERE" && !$0.message.contains("/api/session") }
                    // The refused DELETE (409) is a failed request in the browser's own log.
                    #expect(problems.filter { !$0.message.contains("409") }.isEmpty, "browser console errors: \(problems)")
                }
            }
        }
    }
}
