import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Crypto
import Fluent
import Foundation
import Testing
import Vapor

/// Footage half in the archive plays on in the browser as if it were one recording: the player
/// runs from an archived segment into the hot one after it; and the retention view shows what
/// each tier holds and that the archive takes footage.
@Suite(
    "Storage tiers in the browser", .serialized,
    .enabled(if: WebDriver.isAvailable, "needs \(WebDriver.chromiumPath) and chromedriver on PATH (CI installs both)"),
    .enabled(if: MediaFixtures.available, "needs ffmpeg")
)
struct StorageTierBrowserTests {
    let console = ConsoleBrowserTests()

    @Test(.timeLimit(.minutes(2)))
    func playbackRunsFromArchivedIntoHotFootageAndTheRetentionViewShowsBothTiers() async throws {
        let folder = try RepositoryPaths.temporaryFolder("tiers-browser")
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = folder.appendingPathComponent("archive").path
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        try await withCityWatch(.sqlite, adjust: { $0.archiveDirectory = archive }) { app in
            // Twelve seconds a few minutes ago (today, which the playback view opens on): the
            // first six moved to the archive, the last six still hot.
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 300).rounded(.down))
            let footage = try await TieredFootage.make(app, count: 3, folder: folder, archive: archive, start: start)
            var configuration = footage.configuration
            configuration.archiveAfterHours = 0
            let mover = TierMover(database: { app.db }, configuration: configuration, archive: ArchiveTier(configuration)!)
            #expect(try await mover.pass().moved == 3)
            try await footage.record(app, count: 3, start: start.addingTimeInterval(6))
            // The process's recorder, for the storage view's moving figures (not started: nothing here records).
            app.recording = RecordingService(database: { app.db }, configuration: configuration,
                                             sealer: CredentialSealer(key: SymmetricKey(size: .bits256)), mover: mover)
            let rows = try await footage.rows(app).sorted { $0.start < $1.start }
            #expect(rows.map(\.isArchived) == [true, true, true, false, false, false])

            let password = "tiers-\(UUID().uuidString.prefix(8))"
            try await console.makeAdministrator(app, username: "tieradmin", password: password)
            try await console.withRunningServer(app) { site in
                try await WebDriver.withBrowser { browser in
                    try await console.signIn(browser, at: site, username: "tieradmin", password: password)
                    // Play from the middle of the last archived segment.
                    let at = ISO8601DateFormatter().string(from: rows[2].start.addingTimeInterval(1))
                    _ = try await browser.execute("location.hash = arguments[0]; return true",
                                                  [.string("#playback?camera=\(footage.camera.uuidString)&at=\(at)")])
                    let playing = "const video = document.getElementById('playback-video'); return [video?.dataset.segment ?? '', video?.currentTime ?? 0]"
                    var seen: [String] = []
                    try await waitUntil("the player to run into the first hot segment", timeout: .seconds(30)) {
                        let now = try await browser.execute(playing).array ?? []
                        let segment = now.first?.string ?? ""
                        if !segment.isEmpty, seen.last != segment { seen.append(segment) }
                        if case .number(let time)? = now.last { return segment.uppercased() == rows[3].id!.uuidString && time > 0.3 }
                        return false
                    }
                    #expect(seen.first?.uppercased() == rows[2].id!.uuidString, "began in the archive: \(seen)")
                    let played = try await AuditLog(database: app.db).list(.init(actor: "tieradmin", action: "video.playback"))
                    #expect(Set(played.map(\.details).compactMap { details in rows.firstIndex { details.contains($0.id!.uuidString) } }) == [2, 3],
                            "each segment played is audited, archived or not")

                    try await browser.click(browser.findElement("#main-nav a[data-view=retention]"))
                    try await waitUntil("the storage tiers") {
                        try await browser.execute("""
                            const archive = document.querySelector('#storage-table tr[data-tier=archive] [data-field=segments]');
                            const hot = document.querySelector('#storage-table tr[data-tier=hot] [data-field=segments]');
                            return (archive?.textContent ?? '') + '/' + (hot?.textContent ?? '')
                            """) == "3/3"
                    }
                    #expect(try await browser.execute("return document.getElementById('storage-archive-state')?.dataset.state ?? ''") == "ok")
                    #expect(try await browser.execute("return document.getElementById('archive-after-crimePrevention') !== null") == .bool(true),
                            "the move age per purpose beside the days to keep")
                    let exportDays = try await browser.execute("return document.getElementById('retention-export-days')?.textContent ?? ''").string ?? ""
                    #expect(exportDays.contains("evidence exports kept") && exportDays.contains("30"), "how long exports are kept: \(exportDays)")
                    try await browser.screenshot(to: RepositoryPaths.root.appendingPathComponent(".build/screenshots/retention-storage-tiers.png"))

                    // The maintenance team has a Storage view of its own (and no retention view).
                    let accounts = Accounts(database: app.db, hasher: app.cityWatch.hasher)
                    let (fixer, _) = try await accounts.createUser(username: "tierfixer", role: .maintenance, actor: "test")
                    fixer.passwordHash = try await app.cityWatch.hasher.hash(password)
                    fixer.mustChangePassword = false
                    try await fixer.update(on: app.db)
                    try await browser.click(browser.findElement("#logout"))
                    try await console.signIn(browser, at: site, username: "tierfixer", password: password)
                    #expect(try await browser.execute("return document.querySelector('#main-nav a[data-view=retention]') === null") == .bool(true))
                    try await browser.click(browser.findElement("#main-nav a[data-view=storage]"))
                    try await waitUntil("the storage view") {
                        try await browser.execute("return document.getElementById('storage-archive-state')?.dataset.state ?? ''") == "ok"
                    }
                    let problems = try await browser.browserLog().filter {
                        $0.level == "SEVERE" && !($0.message.contains("/api/session") && $0.message.contains("401"))
                    }
                    #expect(problems.isEmpty, "browser console errors: \(problems)")
                }
            }
        }
    }
}
