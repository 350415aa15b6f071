import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

/// Bell presses (signed by the bell, no session) and the drill windows operators open.
struct BellPressController: RouteCollection {
    struct PressAnswer: Content {
        var alarmId: UUID
        var bell: String
        var cameras: Int
        var drill: Bool
    }

    struct DrillRequest: StrictContent {
        static let allowedKeys: Set<String> = ["bell", "minutes", "note"]
        /// A bell's key (관리번호, else 안전비상벨관리번호), former key or id; none for every bell.
        var bell: String?
        var minutes: Int
        var note: String?
    }

    struct DrillDTO: Content {
        var id: UUID
        var bellId: UUID?
        /// The bell's key (none: every bell).
        var bell: String?
        var from: Date
        var until: Date
        var note: String
        var createdBy: String
    }

    struct PressDTO: Content {
        var bellId: UUID
        /// The bell's key and where it is, for the press log.
        var bell: String?
        var place: String?
        var receivedAt: Date
        var drill: Bool
        var alarmId: UUID?
    }

    func boot(routes: any RoutesBuilder) throws {
        let bells = routes.grouped("api", "bells")
        // Open: the bell proves itself with its signature, not a session.
        bells.endpoint(.POST, ":bell", "press", access: .open, use: press)
        bells.endpoint(.GET, "drills", access: IncidentController.watchers, use: drills)
        bells.endpoint(.POST, "drills", access: IncidentController.handlers, use: addDrill)
        bells.endpoint(.GET, "presses", access: IncidentController.watchers, use: presses)
    }

    func press(req: Request) async throws -> Response {
        let reference = req.parameters.get("bell") ?? ""
        let mode = req.headers.first(name: "X-Bell-Mode")?.lowercased() ?? "live"
        guard mode == "live" || mode == "drill" else { throw Abort(.badRequest, reason: "header X-Bell-Mode must be 'live' or 'drill'") }
        // The checks before the wall read through connections of their own (see `cityWatchReader`).
        let reader = req.application.databases.ids().contains(.cityWatchReader) ? req.db(.cityWatchReader) : req.db
        let service = BellPressService(database: req.db, reader: reader, center: req.cityWatch.alarms, sealer: try req.sealer(),
                                       cameras: req.cityWatch.directory, refusals: req.cityWatch.refusals, clock: req.cityWatch.clock)
        let alarm: Alarm
        do {
            alarm = try await service.press(.init(bell: reference, time: req.headers.first(name: "X-Bell-Time"), nonce: req.headers.first(name: "X-Bell-Nonce"),
                                                  signature: req.headers.first(name: "X-Bell-Signature"), drill: mode == "drill",
                                                  client: req.clientAddress))
        } catch let problem as BellPressProblem {
            req.logger.error("a bell press could not be checked", metadata: ["bell": "\(reference)", "problem": "\(problem.description)"])
            throw Abort(.serviceUnavailable, reason: problem.description)
        } catch let refusal as BellPressRules.Refusal {
            switch refusal {
            case .replayed: throw Abort(.conflict, reason: refusal.description)
            // One answer for "no such bell", "no secret" and "wrong signature": bells are not
            // enumerable (the audit line says which).
            case .unknownBell, .noSecret, .badSignature:
                throw Abort(.unauthorized, reason: "the press is not signed by a bell this server knows")
            default: throw Abort(refusal.isAuthentication ? .unauthorized : .badRequest, reason: refusal.description)
            }
        }
        let response = try await PressAnswer(alarmId: alarm.id, bell: alarm.sourceRef ?? reference, cameras: alarm.cameraIDs.count, drill: alarm.drill)
            .encodeResponse(for: req)
        response.status = .accepted
        return response
    }

    func drills(req: Request) async throws -> [DrillDTO] {
        let drills = try await BellPressRepository(database: req.db).drills(notEndedBy: req.cityWatch.clock())
        let bells = try await BellRepository(database: req.db).bells(ids: Set(drills.compactMap(\.bellID)))
        return drills.map { Self.dto($0, bell: $0.bellID.flatMap { bells[$0] }) }
    }

    func addDrill(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let body = try req.decodeStrict(DrillRequest.self)
        let note = (body.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 500 else { throw Abort(.badRequest, reason: "field 'note' must be at most 500 characters") }
        let service = BellPressService(database: req.db, center: req.cityWatch.alarms, sealer: try req.sealer(), cameras: req.cityWatch.directory, clock: req.cityWatch.clock)
        do {
            _ = try await service.scheduleDrill(bell: body.bell, minutes: body.minutes, note: note, by: user.username)
        } catch let problem as BellDrillProblem {
            throw Abort(.badRequest, reason: "field 'minutes': \(problem.description)")
        } catch let refusal as BellPressRules.Refusal {
            throw Abort(.badRequest, reason: "field 'bell': \(refusal.description)")
        }
        let response = try await drills(req: req).encodeResponse(for: req)
        response.status = .created
        return response
    }

    /// The presses whose alarms the user may see (as the alarm queue: an alarm none of whose
    /// cameras is in the user's groups is left out).
    func presses(req: Request) async throws -> [PressDTO] {
        let since = try req.timeQuery("since") ?? req.cityWatch.clock().addingTimeInterval(-86_400)
        let view = try await req.cameraListView()
        let alarms = try await IncidentRepository(database: req.db).alarms(from: since.addingTimeInterval(-60), to: req.cityWatch.clock().addingTimeInterval(60))
        let alarmByID = Dictionary(alarms.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let presses = try await BellPressRepository(database: req.db).presses(since: since).filter { press in
            view.scope.allowed == nil || press.alarmID.flatMap { alarmByID[$0] }.map { view.maySee($0.cameraIDs) } == true
        }
        let bells = try await BellRepository(database: req.db).bells(ids: Set(presses.map(\.bellID)))
        return presses.map {
            let bell = bells[$0.bellID]?.record
            return PressDTO(bellId: $0.bellID, bell: bell?.key, place: bell.map { $0.location.isEmpty ? $0.displayAddress : $0.location },
                            receivedAt: $0.receivedAt, drill: $0.drill, alarmId: $0.alarmID)
        }
    }

    static func dto(_ model: BellDrillModel, bell: Bell?) -> DrillDTO {
        DrillDTO(id: model.id ?? UUID(), bellId: model.bellID, bell: bell?.record.key, from: model.from, until: model.until,
                 note: model.note, createdBy: model.createdBy)
    }
}
