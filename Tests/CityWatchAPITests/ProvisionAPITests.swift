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

/// Police provision through the API: filing, refusal, approval by a privacy officer, the
/// export with third parties blurred, the ledger and the CSVs.
@Suite("Police provision", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct ProvisionAPITests {
    struct Problem: Decodable {
        var reason: String
    }

    struct Ledger: Decodable {
        var requestId: UUID
        var approvedBy: String
        var exportId: UUID
        var manifestSHA256: String
        var recipient: String
    }

    struct Exported: Decodable {
        var request: ProvisionRequest
        var manifest: EvidenceManifest
        var download: String
    }

    /// A camera with six seconds recorded into 2-second segments from `start`, a privacy mask at
    /// the top right, and a group granting it; returns the camera, the source clip and the group.
    static func recordedCamera(_ app: Application, start: Date, admin: TestSession) async throws -> (UUID, String, UUID) {
        let camera = try #require(try await app.makeCameras(1).first)
        let clip = try await app.recordSixSeconds(camera: camera, start: start)
        let mask = ImagePolygon(points: [ImagePoint(x: 0.6, y: 0.1), ImagePoint(x: 0.9, y: 0.1), ImagePoint(x: 0.9, y: 0.5)])
        try await AnalyticsRepository(database: app.db).setSettings(CameraAnalyticsSettings(privacyMasks: [mask]), for: camera, by: "test", now: Date())
        let group = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                        body: .text("{\"name\": \"provision\", \"rule\": {\"cameraIds\": [\"\(camera)\"]}}"))
        struct IDOnly: Decodable { var id: UUID }
        return (camera, clip, try group.content.decode(IDOnly.self).id)
    }

    static func requestBody(camera: UUID, from: Date, to: Date, caseNumber: String = "2026-형제-1234") -> String {
        let formatter = ISO8601DateFormatter()
        return """
        {"officerName": "경위 김수사", "agency": "서울강남경찰서 형사과", "caseNumber": "\(caseNumber)", "legalBasis": "criminalInvestigation",
         "purpose": "절도 용의자 확인", "cameraIds": ["\(camera)"], "from": "\(formatter.string(from: from))", "to": "\(formatter.string(from: to))"}
        """
    }

    @Test(arguments: DatabaseKind.allCases)
    func aRequestGoesThroughRefusalAndApprovalToABlurredVerifiedExportInTheLedger(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded(.down))
            let admin = try await app.signIn(as: .administrator)
            let (camera, clip, group) = try await Self.recordedCamera(app, start: start, admin: admin)
            let police = try await app.signIn(as: .police, groups: [group])
            let otherPolice = try await app.signIn(as: .police, groups: [group])
            let officer = try await app.signIn(as: .operator, groups: [group])
            let privacy = try await app.signIn(as: .privacyOfficer)
            let client = try app.testing()
            let from = start.addingTimeInterval(1), to = start.addingTimeInterval(5)

            // Bad input names the field.
            let bad = try await client.sendRequest(.POST, "/api/provision/requests", headers: police.headers,
                                                   body: .text(Self.requestBody(camera: camera, from: to, to: from)))
            #expect(bad.status == .badRequest && bad.body.string.contains("to:"), "\(bad.body.string)")

            // A request that is refused.
            let refusedResponse = try await client.sendRequest(.POST, "/api/provision/requests", headers: police.headers,
                                                               body: .text(Self.requestBody(camera: camera, from: from, to: to, caseNumber: "2026-형제-0001")))
            #expect(refusedResponse.status == .created, "\(refusedResponse.body.string)")
            let refused = try refusedResponse.content.decode(ProvisionRequest.self)
            let asPolice = try await client.sendRequest(.POST, "/api/provision/requests/\(refused.id)/refuse", headers: police.headers, body: .text("{\"reason\": \"no\"}"))
            #expect(asPolice.status == .forbidden)
            let noReason = try await client.sendRequest(.POST, "/api/provision/requests/\(refused.id)/refuse", headers: privacy.headers, body: .text("{\"reason\": \" \"}"))
            #expect(noReason.status == .badRequest && noReason.body.string.contains("reason"), "\(noReason.body.string)")
            let refusal = try await client.sendRequest(.POST, "/api/provision/requests/\(refused.id)/refuse", headers: privacy.headers,
                                                       body: .text("{\"reason\": \"영장 없이 범위가 과도함\"}"))
            #expect(try refusal.content.decode(ProvisionRequest.self).status == .refused)
            let approveRefused = try await client.sendRequest(.POST, "/api/provision/requests/\(refused.id)/approve", headers: privacy.headers)
            #expect(approveRefused.status == .conflict, "\(approveRefused.body.string)")
            let exportRefused = try await client.sendRequest(.POST, "/api/provision/requests/\(refused.id)/export", headers: officer.headers)
            #expect(exportRefused.status == .conflict && exportRefused.body.string.contains("refused"), "\(exportRefused.body.string)")

            // The request that is approved.
            let created = try await client.sendRequest(.POST, "/api/provision/requests", headers: police.headers,
                                                       body: .text(Self.requestBody(camera: camera, from: from, to: to)))
            let request = try created.content.decode(ProvisionRequest.self)
            #expect(request.status == .requested && request.requestedBy == police.username)
            // Police see their own requests only.
            let ownList = try await client.sendRequest(.GET, "/api/provision/requests", headers: police.headers).content.decode([ProvisionRequest].self)
            #expect(Set(ownList.map(\.id)) == [refused.id, request.id])
            let otherList = try await client.sendRequest(.GET, "/api/provision/requests", headers: otherPolice.headers).content.decode([ProvisionRequest].self)
            #expect(otherList.isEmpty)
            #expect(try await client.sendRequest(.GET, "/api/provision/requests/\(request.id)", headers: otherPolice.headers).status == .notFound)
            let early = try await client.sendRequest(.POST, "/api/provision/requests/\(request.id)/export", headers: officer.headers)
            #expect(early.status == .conflict && early.body.string.contains("requested"), "\(early.body.string)")

            // The operator marks a passer-by at the top left for the last two seconds.
            let formatter = ISO8601DateFormatter()
            let badBoxes = try await client.sendRequest(.PUT, "/api/provision/requests/\(request.id)/boxes", headers: officer.headers, body: .text("""
                {"boxes": [{"cameraId": "\(camera)", "box": {"x": 0.8, "y": 0, "width": 0.4, "height": 0.25},
                            "from": "\(formatter.string(from: from))", "to": "\(formatter.string(from: to))"}]}
                """))
            #expect(badBoxes.status == .badRequest && badBoxes.body.string.contains("boxes[0].box"), "\(badBoxes.body.string)")
            let boxes = try await client.sendRequest(.PUT, "/api/provision/requests/\(request.id)/boxes", headers: officer.headers, body: .text("""
                {"boxes": [{"cameraId": "\(camera)", "box": {"x": 0, "y": 0, "width": 0.4, "height": 0.25},
                            "from": "\(formatter.string(from: start.addingTimeInterval(3)))", "to": "\(formatter.string(from: to))"}]}
                """))
            #expect(boxes.status == .ok, "\(boxes.body.string)")
            #expect(try await client.sendRequest(.PUT, "/api/provision/requests/\(request.id)/boxes", headers: police.headers, body: .text("{\"boxes\": []}")).status == .forbidden)

            // Police cannot approve; the privacy officer does.
            #expect(try await client.sendRequest(.POST, "/api/provision/requests/\(request.id)/approve", headers: police.headers).status == .forbidden)
            let approved = try await client.sendRequest(.POST, "/api/provision/requests/\(request.id)/approve", headers: privacy.headers)
            #expect(try approved.content.decode(ProvisionRequest.self).status == .approved, "\(approved.body.string)")

            // The export: blurred, signed, verified, in the ledger.
            let exportResponse = try await client.sendRequest(.POST, "/api/provision/requests/\(request.id)/export", headers: officer.headers)
            #expect(exportResponse.status == .created, "\(exportResponse.body.string)")
            let exported = try exportResponse.content.decode(Exported.self)
            #expect(exported.request.status == .exported && exported.request.exportId == exported.manifest.exportId)
            #expect(exported.manifest.provisionRequestId == request.id)
            let blurred = try #require(exported.manifest.cameras.first?.blurred)
            #expect(blurred.map(\.kind).sorted() == ["box", "privacyZone"])
            #expect(exported.manifest.cameras.first?.masked == true)
            let service = EvidenceService(database: app.db, configuration: app.cityWatch.configuration)
            let folder = (service.exportsDirectory as NSString).appendingPathComponent(exported.manifest.exportId.uuidString.lowercased())
            let verified = try EvidenceService.verify(path: folder, trustedKey: try service.signingKey().publicKeyBase64)
            #expect(verified.isValid, "\(verified.problems)")
            // And as a court would check it: `citywatch export verify` on the zip the police receive.
            let binary = RepositoryPaths.root.appendingPathComponent(".build/debug/citywatch").path
            if FileManager.default.isExecutableFile(atPath: binary) {
                let zipPath = try service.zip(exportID: exported.manifest.exportId)
                let said = try runProgram(binary, ["export", "verify", zipPath, "--public-key", try service.signingKey().publicKeyBase64])
                #expect(said.contains("is intact") && said.contains("(this installation's key)"), "\(said)")
            }
            // The operator and the privacy officer (who has no camera groups) fetch the zip; the police do not.
            for user in [officer, privacy] {
                let zip = try await client.sendRequest(.GET, exported.download, headers: user.headers)
                #expect(zip.status == .ok && zip.headers.contentType?.subType == "zip", "\(user.username): \(zip.status)")
                #expect(zip.body.readableBytes > 1_000)
            }
            #expect(try await client.sendRequest(.GET, exported.download, headers: police.headers).status == .forbidden)
            // An operator without the camera's group neither lists, reads nor fetches it.
            let outsider = try await app.signIn(as: .operator)
            #expect(try await client.sendRequest(.GET, exported.download, headers: outsider.headers).status == .notFound)
            #expect(try await client.sendRequest(.GET, "/api/provision/requests/\(request.id)", headers: outsider.headers).status == .notFound)
            let listed = try await client.sendRequest(.GET, "/api/provision/requests", headers: outsider.headers).content.decode([ProvisionRequest].self)
            #expect(!listed.contains { $0.id == request.id })
            #expect(try await client.sendRequest(.GET, "/api/provision/requests", headers: officer.headers).content.decode([ProvisionRequest].self)
                .contains { $0.id == request.id })
            let notYet = try await client.sendRequest(.GET, "/api/provision/requests/\(refused.id)/download", headers: privacy.headers)
            #expect(notYet.status == .conflict, "\(notYet.body.string)")

            let video = (folder as NSString).appendingPathComponent(try #require(exported.manifest.cameras.first?.file))
            try Self.expectBlurred(export: video, original: clip)

            // Exported once only.
            let again = try await client.sendRequest(.POST, "/api/provision/requests/\(request.id)/export", headers: officer.headers)
            #expect(again.status == .conflict)

            // The ledger and its CSV; the view log.
            #expect(try await client.sendRequest(.GET, "/api/provision/ledger", headers: police.headers).status == .forbidden)
            let ledger = try await client.sendRequest(.GET, "/api/provision/ledger", headers: privacy.headers).content.decode([Ledger].self)
            let line = try #require(ledger.first)
            #expect(ledger.count == 1 && line.requestId == request.id && line.approvedBy == privacy.username && line.exportId == exported.manifest.exportId)
            #expect(line.manifestSHA256 == (try EvidenceVerifier.sha256(ofFile: (folder as NSString).appendingPathComponent("manifest.json"))))
            #expect(line.recipient == "경위 김수사")
            let csv = try await client.sendRequest(.GET, "/api/provision/ledger.csv", headers: privacy.headers)
            #expect(csv.headers.contentType?.subType == "csv")
            let rows = csv.body.string.split(separator: "\r\n")
            #expect(rows.count == 2 && rows[0].hasPrefix("\u{FEFF}provided_at_kst,request_id"), "\(csv.body.string)")
            #expect(rows[1].contains(",\(request.id.uuidString.lowercased()),경위 김수사,서울강남경찰서 형사과,2026-형제-1234,"))
            #expect(rows[1].contains(line.manifestSHA256) && rows[1].hasSuffix(",1"))
            let viewLog = try await client.sendRequest(.GET, "/api/provision/viewlog.csv", headers: privacy.headers)
            let viewRows = viewLog.body.string.split(separator: "\r\n")
            #expect(viewRows.first == "\u{FEFF}time_kst,seq,actor,action,target,camera,masked,details")
            #expect(viewRows.contains { $0.contains(",\(officer.username),video.export,\(exported.manifest.exportId.uuidString),\(camera.uuidString),") },
                    "\(viewLog.body.string)")
            #expect(viewRows.contains { $0.contains(",video.export.download,") })
            let badSince = try await client.sendRequest(.GET, "/api/provision/viewlog.csv?since=yesterday", headers: privacy.headers)
            #expect(badSince.status == .badRequest && badSince.body.string.contains("since 'yesterday'"), "\(badSince.body.string)")

            // Every step is in the audit log.
            let actions = Set(try await AuditLog(database: app.db).list(.init(action: "provision", limit: 100)).map(\.action))
            #expect(actions.isSuperset(of: ["provision.request", "provision.refuse", "provision.boxes", "provision.approve", "provision.export",
                                            "provision.ledger", "provision.ledger.csv", "provision.viewlog.csv"]))
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func twoExportsOfOneRequestAtOnceLeaveOneLedgerLine(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded(.down))
            let admin = try await app.signIn(as: .administrator)
            let (camera, _, _) = try await Self.recordedCamera(app, start: start, admin: admin)
            let service = ProvisionService(database: app.db, configuration: app.cityWatch.configuration)
            let draft = ProvisionRequest.Draft(officerName: "경위 김수사", agency: "강남서", caseNumber: "2026-9", legalBasis: .urgentSafety,
                                               purpose: "실종 아동 수색", cameraIds: [camera], from: start.addingTimeInterval(1), to: start.addingTimeInterval(5))
            let request = try await service.file(draft, actor: admin.username)
            _ = try await service.approve(request.id, actor: "privacy", role: .privacyOfficer)
            @Sendable func attempt(_ actor: String) async -> (any Error)? {
                do {
                    _ = try await service.export(request.id, actor: actor)
                    return nil
                } catch {
                    return error
                }
            }
            async let first = attempt("operator1")
            async let second = attempt("operator2")
            let failures = await [first, second].compactMap { $0 }
            #expect(failures.count == 1)
            for error in failures {
                #expect(error as? ProvisionProblem == .wrongState(action: "export", status: .exported), "\(error)")
            }
            #expect(try await ProvisionRepository(database: app.db).ledger().count == 1)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func theRequesterCannotApproveTheirOwnRequestEvenAfterBecomingPrivacyOfficer(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let admin = try await app.signIn(as: .administrator)
            let camera = try #require(try await app.makeCameras(1).first)
            let filer = try await app.signIn(as: .administrator)
            let now = Date()
            let created = try await app.testing().sendRequest(.POST, "/api/provision/requests", headers: filer.headers,
                                                              body: .text(Self.requestBody(camera: camera, from: now.addingTimeInterval(-3_600), to: now)))
            let request = try created.content.decode(ProvisionRequest.self)
            struct Session: Decodable { struct User: Decodable { var id: UUID }; var user: User }
            let me = try await app.testing().sendRequest(.GET, "/api/session", headers: filer.headers).content.decode(Session.self)
            let promote = try await app.testing().sendRequest(.PATCH, "/api/users/\(me.user.id)", headers: admin.headers, body: .text("{\"role\": \"privacyOfficer\"}"))
            #expect(promote.status == .ok, "\(promote.body.string)")
            let promoted = try await app.login(username: filer.username, password: filer.password)
            let own = try await app.testing().sendRequest(.POST, "/api/provision/requests/\(request.id)/approve", headers: promoted.headers)
            #expect(own.status == .forbidden && own.body.string.contains("filed"), "\(own.body.string)")
            #expect(try await ProvisionRepository(database: app.db).request(request.id)?.status == .requested)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func dataSubjectRequestsCountDownTenDaysAndAreAnsweredOnce(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let privacy = try await app.signIn(as: .privacyOfficer)
            let officer = try await app.signIn(as: .operator)
            let client = try app.testing()
            let bad = try await client.sendRequest(.POST, "/api/provision/subjects", headers: officer.headers,
                                                   body: .text("{\"subjectName\": \"\", \"contact\": \"010\", \"description\": \"역삼역\"}"))
            #expect(bad.status == .badRequest && bad.body.string.contains("subjectName"), "\(bad.body.string)")
            let created = try await client.sendRequest(.POST, "/api/provision/subjects", headers: officer.headers,
                                                       body: .text("{\"subjectName\": \"홍길동\", \"contact\": \"010-0000-0000\", \"description\": \"11월 3일 18시 역삼역 3번 출구\"}"))
            #expect(created.status == .created, "\(created.body.string)")
            struct Subject: Decodable {
                struct Inner: Decodable { var id: UUID; var status: String; var receivedAt: Date; var deadline: Date }
                var request: Inner
                var daysLeft: Int?
                var overdue: Bool
            }
            let subject = try created.content.decode(Subject.self)
            #expect(subject.daysLeft == 9 || subject.daysLeft == 10)
            #expect(!subject.overdue)
            #expect(abs(subject.request.deadline.timeIntervalSince(subject.request.receivedAt) - 10 * 86_400) < 1)
            let byOperator = try await client.sendRequest(.POST, "/api/provision/subjects/\(subject.request.id)/answer", headers: officer.headers,
                                                          body: .text("{\"outcome\": \"answered\"}"))
            #expect(byOperator.status == .forbidden)
            let badOutcome = try await client.sendRequest(.POST, "/api/provision/subjects/\(subject.request.id)/answer", headers: privacy.headers,
                                                          body: .text("{\"outcome\": \"maybe\"}"))
            #expect(badOutcome.status == .badRequest && badOutcome.body.string.contains("outcome"), "\(badOutcome.body.string)")
            let extended = try await client.sendRequest(.POST, "/api/provision/subjects/\(subject.request.id)/answer", headers: privacy.headers,
                                                        body: .text("{\"outcome\": \"extended\", \"note\": \"제3자 마스킹 작업\"}"))
            let extendedSubject = try extended.content.decode(Subject.self)
            #expect(extendedSubject.request.status == "extended" && (extendedSubject.daysLeft ?? 0) >= 19)
            let answered = try await client.sendRequest(.POST, "/api/provision/subjects/\(subject.request.id)/answer", headers: privacy.headers,
                                                        body: .text("{\"outcome\": \"answered\", \"note\": \"열람 완료\"}"))
            #expect(try answered.content.decode(Subject.self).daysLeft == nil)
            let twice = try await client.sendRequest(.POST, "/api/provision/subjects/\(subject.request.id)/answer", headers: privacy.headers,
                                                     body: .text("{\"outcome\": \"refused\", \"note\": \"again\"}"))
            #expect(twice.status == .conflict)
            let list = try await client.sendRequest(.GET, "/api/provision/subjects", headers: privacy.headers).content.decode([Subject].self)
            #expect(list.map(\.request.status) == ["answered"])
        }
    }

    struct Job: Decodable {
        var state: String
        var camerasDone: Int
        var percent: Int
        var cameras: Int
        var startedBy: String
        var result: Exported?
        var error: String?
    }

    /// The console's way: the export runs in the background and is followed until it is done;
    /// the outcome is the same as waiting for it (blurred export, ledger line).
    @Test func aBackgroundExportIsFollowedToItsEndAndLandsInTheLedger() async throws {
        try await withCityWatch(.sqlite) { app in
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded(.down))
            let admin = try await app.signIn(as: .administrator)
            let (camera, _, group) = try await Self.recordedCamera(app, start: start, admin: admin)
            let police = try await app.signIn(as: .police, groups: [group])
            let officer = try await app.signIn(as: .operator, groups: [group])
            let privacy = try await app.signIn(as: .privacyOfficer)
            let client = try app.testing()
            let created = try await client.sendRequest(.POST, "/api/provision/requests", headers: police.headers,
                                                       body: .text(Self.requestBody(camera: camera, from: start.addingTimeInterval(1), to: start.addingTimeInterval(5))))
            let request = try created.content.decode(ProvisionRequest.self)
            let path = "/api/provision/requests/\(request.id)/export"
            #expect(try await client.sendRequest(.GET, path, headers: officer.headers).status == .notFound, "no export has run yet")
            let notApproved = try await client.sendRequest(.POST, "\(path)?background=true", headers: officer.headers)
            #expect(notApproved.status == .conflict, "an unapproved request starts no job: \(notApproved.body.string)")
            #expect(try await client.sendRequest(.POST, "/api/provision/requests/\(request.id)/approve", headers: privacy.headers).status == .ok)

            let accepted = try await client.sendRequest(.POST, "\(path)?background=true", headers: officer.headers)
            #expect(accepted.status == .accepted, "\(accepted.body.string)")
            #expect(accepted.headers.first(name: .location) == path.lowercased())
            let first = try accepted.content.decode(Job.self)
            #expect(first.startedBy == officer.username && first.result == nil)
            var job = first
            let deadline = Date().addingTimeInterval(60)
            while job.state == "running", Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                job = try await client.sendRequest(.GET, path, headers: officer.headers).content.decode(Job.self)
            }
            #expect(job.state == "done" && job.camerasDone == 1 && job.cameras == 1 && job.percent == 100, "\(job)")
            let result = try #require(job.result)
            // Among the exports made: for a privacy officer without camera groups too, downloaded through its request.
            let listed = try await client.sendRequest(.GET, "/api/exports", headers: privacy.headers)
            #expect(listed.status == .ok && listed.body.string.replacing("\\/", with: "/")
                .contains("/api/provision/requests/\(request.id.uuidString.lowercased())/download"), "\(listed.body.string)")
            #expect(try await client.sendRequest(.GET, "/api/exports", headers: police.headers).status == .forbidden)
            #expect(result.request.status == .exported && result.manifest.provisionRequestId == request.id)
            #expect(result.manifest.cameras.first?.blurred?.map(\.kind) == ["privacyZone"])
            let ledger = try await client.sendRequest(.GET, "/api/provision/ledger", headers: privacy.headers).content.decode([Ledger].self)
            #expect(ledger.map(\.requestId) == [request.id] && ledger.first?.exportId == result.manifest.exportId)
            // Police follow no export; a second export is refused as before.
            #expect(try await client.sendRequest(.GET, path, headers: police.headers).status == .forbidden)
            #expect(try await client.sendRequest(.POST, "\(path)?background=true", headers: officer.headers).status == .conflict)
        }
    }
}
