import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor

/// Evidence export from playback in a real browser: an operator watching a masked camera marks
/// a stretch at the player's moment, is told which field is wrong, exports with a reason, and
/// downloads the masked, audit-logged export.
@Suite(
    "Evidence export from playback in a browser", .serialized,
    .enabled(if: WebDriver.isAvailable && MediaFixtures.available, "needs chromium, chromedriver and ffmpeg")
)
struct PlaybackExportBrowserTests {
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(3)))
    func anOperatorExportsTheStretchBeingPlayedAndDownloadsIt() async throws {
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 300).rounded(.down))
            _ = try await app.recordSixSeconds(camera: camera, start: start)
            let mask = ImagePolygon(points: [ImagePoint(x: 0.6, y: 0.1), ImagePoint(x: 0.9, y: 0.1), ImagePoint(x: 0.9, y: 0.5)])
            try await AnalyticsRepository(database: app.db).setSettings(CameraAnalyticsSettings(privacyMasks: [mask]), for: camera, by: "test", now: Date())
            let officer = try await operatorOf(camera, app: app, admin: try await app.signIn(as: .administrator))

            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: officer.username, password: officer.password)
                    let at = ISO8601DateFormatter().string(from: start.addingTimeInterval(2))
                    _ = try await browser.execute("location.hash = arguments[0]; return true", [.string("#playback?camera=\(camera.uuidString)&at=\(at)")])
                    try await waitUntil("the stretch playing", timeout: .seconds(30)) {
                        try await browser.execute("return document.getElementById('playback-video')?.currentTime ?? 0").double ?? 0 > 0.3
                    }
                    try await browser.click(browser.findElement("#playback-export > summary"))
                    // Opened while playing: the minute around the player's moment is offered.
                    let offered = try await browser.execute("return [document.getElementById('export-from').value, document.getElementById('export-to').value]")
                    #expect(offered.array?.allSatisfy { ($0.string ?? "").count == 19 } == true, "nothing offered: \(offered)")

                    // The start marked at the player's moment, which lies in the recorded six seconds.
                    try await browser.click(browser.findElement("#export-mark-start"))
                    let marked = try await browser.execute("return new Date(document.getElementById('export-from').value).getTime() / 1000").double ?? 0
                    #expect(marked >= start.timeIntervalSince1970 && marked <= start.timeIntervalSince1970 + 6,
                            "marked \(marked), recorded from \(start.timeIntervalSince1970)")
                    try await browser.execute("""
                        const local = (ms) => { const d = new Date(ms); return new Date(ms - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19); };
                        document.getElementById('export-from').value = local(arguments[0]);
                        document.getElementById('export-to').value = local(arguments[1]);
                        return true;
                        """, [.number(start.timeIntervalSince1970 * 1000 + 1_000), .number(start.timeIntervalSince1970 * 1000 + 5_000)])

                    // No reason: the form names the field and sends nothing.
                    try await browser.click(browser.findElement("#export-submit"))
                    let refused = try await browser.execute("return document.getElementById('export-result').textContent").string ?? ""
                    #expect(refused.contains("Reason"), "\(refused)")
                    #expect(try await browser.execute("return document.activeElement?.id").string == "export-reason")
                    #expect(try await AuditLog(database: app.db).list(.init(action: "video.export")).isEmpty)

                    try await browser.execute("document.getElementById('export-reason').value = '민원 2026-93 차량 파손'; return true")
                    // The job the form starts, seen as the console sees it.
                    try await browser.execute("""
                        window.__exportJobs = [];
                        const fetched = window.fetch;
                        window.fetch = async (...args) => {
                          const answer = await fetched(...args);
                          if (String(args[0]).startsWith('/api/exports?background=true')) {
                            answer.clone().json().then((job) => window.__exportJobs.push(job.id));
                          }
                          return answer;
                        };
                        return true;
                        """)
                    try await browser.click(browser.findElement("#export-submit"))
                    try await waitUntil("the download link", timeout: .seconds(60), pollingEvery: .milliseconds(300)) {
                        try await browser.execute("return document.getElementById('export-download') !== null") == true
                    }
                    let shown = try await browser.execute("return document.getElementById('export-result').textContent").string ?? ""
                    #expect(shown.contains("masked"), "an operator's export of a masked camera is masked: \(shown)")
                    let exportJob = try await browser.execute("return window.__exportJobs[0] ?? ''").string.flatMap(UUID.init(uuidString:))
                    let kept = try await browser.execute("return document.getElementById('export-kept-until')?.textContent ?? ''").string ?? ""
                    #expect(kept.contains("kept until"), "the operator is told when the export goes: \(shown)")
                    // …and finds it again among the camera's exports, with its link.
                    try await waitUntil("the export listed under the form", timeout: .seconds(10)) {
                        try await browser.execute("return document.querySelectorAll('#export-recent-table tr[data-export] a[download]').length") == 1
                    }
                    let exports = try await AuditLog(database: app.db).list(.init(action: "video.export"))
                    #expect(exports.count == 1 && exports.first?.actor == officer.username)
                    // Made as a background job (followed by the form), not inside the request.
                    let job = try await EvidenceExportJobs(database: app.db).job(try #require(exportJob))
                    #expect(job?.state == .done && job?.exportID?.uuidString == exports.first?.target, "\(String(describing: job))")
                    let link = try await browser.execute("return document.getElementById('export-download').getAttribute('href')").string ?? ""
                    #expect(link.lowercased() == "/api/exports/\(exports.first?.target.lowercased() ?? "?")/download", "\(link)")
                    let status = try await browser.execute("return fetch(arguments[0]).then((answer) => answer.status)", [.string(link)])
                    #expect(status.int == 200, "\(status)")
                    #expect(try await AuditLog(database: app.db).list(.init(action: "video.export.download")).count == 1)
                    try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/console-playback-export.png"))
                    let problems = try await browser.browserLog().filter { $0.level == "SEVERE" && !$0.message.contains("/api/session") }
                    #expect(problems.isEmpty, "browser console errors: \(problems)")
                }
            }
        }
    }
}
