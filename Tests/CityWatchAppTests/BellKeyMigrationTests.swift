import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Crypto
import Fluent
import FluentKit
import Foundation
import SQLKit
import Testing
import Vapor

/// An installation from before bells were keyed by 관리번호: its bells, keyed by 안전비상벨관리번호,
/// with a press secret, a press and a drill window, carried through the migration and the first
/// import of a file with 관리번호 — the bell (and a gateway set up with its old key) keeps working.
@Suite("Emergency bell key migration")
struct BellKeyMigrationTests {
    /// Every migration before ``KeyBellsByRowKey`` (the store as it was), and the rest.
    static var migrations: (before: [any Migration], after: [any Migration]) {
        let all = CityWatchMigrations.all
        let split = all.firstIndex { $0.name.hasSuffix("KeyBellsByRowKey") } ?? all.count
        return (Array(all[..<split]), Array(all[split...]))
    }

    /// A bell row as the old schema stored it (`management_number` unique, nothing else to key by).
    static func insertOldBell(_ app: Application, number: String, latitude: Double, longitude: Double) async throws -> UUID {
        let id = UUID()
        let columns = ["id", "management_number", "purpose", "place_type", "location", "road_address", "lot_address", "latitude", "longitude",
                       "link_method", "police_linked", "security_company_linked", "management_office_linked", "extra_features", "install_year",
                       "last_inspection_date", "last_inspection_result", "agency", "phone", "data_date", "created_at", "updated_at"]
        let texts = [number, "방범용", "공원", "가로등 기둥", "서울특별시 강남구 테헤란로 1", "", "유선", "Y", "N", "N", "", "2019", "", "", "강남구청", "", ""]
        let values: [any SQLExpression] = [SQLBind(id)] + texts.prefix(6).map { SQLBind($0) } + [SQLBind(latitude), SQLBind(longitude)]
            + texts.dropFirst(6).map { SQLBind($0) } + [SQLBind(Date()), SQLBind(Date())]
        try await app.db.sql.insert(into: "bells").columns(columns).values(values).run()
        return id
    }

    static func press(_ service: BellPressService, as reference: String, signing name: String, secret: String) async throws -> Alarm {
        let time = Int64(Date().timeIntervalSince1970), nonce = UUID().uuidString
        return try await service.press(.init(bell: reference, time: String(time), nonce: nonce,
                                             signature: BellPressService.signature(secret: secret, bell: name, time: time, nonce: nonce, drill: false),
                                             drill: false))
    }

    @Test(arguments: DatabaseKind.allCases)
    func bellsKeyedByNumberKeepSecretPressesAndDrillsThroughMigrationAndRekeying(kind: DatabaseKind) async throws {
        let database = try await TestDatabase.make(kind)
        defer { database.drop() }
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try app.databases.useCityWatch(database.location)
            app.migrations.add(Self.migrations.before)
            try await app.autoMigrate()
            // The old import kept the first row of each 안전비상벨관리번호.
            let old001 = try await Self.insertOldBell(app, number: "001", latitude: 37.5000, longitude: 127.0300)
            let old002 = try await Self.insertOldBell(app, number: "002", latitude: 37.5100, longitude: 127.0500)
            let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
            let presses = BellPressRepository(database: app.db)
            try await presses.setSecret(bell: old001, sealed: try sealer.seal("secret-001"), by: "test", now: Date())
            #expect(try await presses.recordPress(bell: old001, nonce: "before-0000000001", signedAt: Date(), receivedAt: Date(), drill: false, alarm: UUID()))
            try await presses.addDrill(bell: old001, from: Date(), until: Date().addingTimeInterval(3_600), note: "훈련", by: "test")

            app.migrations.add(Self.migrations.after)
            try await app.autoMigrate()
            // Revertible (the old column is back, holding the keys), and migrated again.
            try await app.migrator.revertLastBatch().get()
            let reverted = try await app.db.sql.raw("SELECT management_number FROM bells ORDER BY management_number").all()
            #expect(try reverted.map { try $0.decode(column: "management_number", as: String.self) } == ["001", "002"])
            try await app.autoMigrate()

            let repository = BellRepository(database: app.db)
            #expect(try await repository.all().map { [$0.record.key, $0.record.managementNumber, $0.record.rowKey] } == [["001", "001", ""], ["002", "002", ""]])
            let service = BellPressService(database: app.db, center: AlarmCenter(), sealer: sealer)
            #expect(try await Self.press(service, as: "001", signing: "001", secret: "secret-001").sourceRef == "001", "a migrated bell presses as before")

            // The first import with 관리번호: 001 is on two rows (another installer's, 1.1 km off, first).
            let rows = [BellImportTests.row("001", rowKey: "R-1", latitude: "37.510000"), BellImportTests.row("001", rowKey: "R-2", latitude: "37.500050"),
                        BellImportTests.row("002", rowKey: "R-3", latitude: "37.510000", longitude: "127.050000"), BellImportTests.row("003", rowKey: "R-4")]
            let path = try RegistryFixtures.write(Data(RegistryFixtures.csv([BellImportTests.header] + rows).utf8), name: "bells.csv")
            let report = try await BellImporter(database: app.db).importFile(at: path, actor: "test")
            #expect(report.rekeyed == 2 && report.added == 2 && report.changed == 2 && report.missing == 0 && report.bells == 4 && report.warningCount == 1)
            let bells = Dictionary(uniqueKeysWithValues: try await repository.all().map { ($0.record.key, $0) })
            #expect(bells["R-2"]?.id == old001 && bells["R-2"]?.formerKey == "001" && bells["R-3"]?.id == old002)
            #expect(bells["R-1"]?.id != old001 && bells["R-1"]?.formerKey == nil)
            #expect(try await presses.sealedSecret(bell: old001) != nil, "the secret stays with the bell")
            #expect(try await presses.presses(since: .distantPast).map(\.bellID) == [old001, old001], "so does its press log")
            #expect(try await presses.drill(bell: old001, at: Date())?.note == "훈련", "and its drill window")

            // The gateway set up with the old key still presses (and signs) by it; the new key works too.
            let byOldKey = try await Self.press(service, as: "001", signing: "001", secret: "secret-001")
            #expect(byOldKey.sourceRef == "R-2" && byOldKey.drill, "pressed in its drill window")
            #expect(try await Self.press(service, as: "R-2", signing: "R-2", secret: "secret-001").sourceRef == "R-2")
            await #expect(throws: BellPressRules.Refusal.badSignature) {
                try await Self.press(service, as: "R-2", signing: "001", secret: "secret-001")
            }
            #expect(try await BellPressService(database: app.db, center: AlarmCenter(), sealer: sealer)
                .scheduleDrill(bell: "R-2", minutes: 5, note: "", by: "test").until > Date())

            let again = try await BellImporter(database: app.db).importFile(at: path, actor: "test")
            #expect(again.rekeyed == 0 && again.unchanged == 4 && again.bells == 4)
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
