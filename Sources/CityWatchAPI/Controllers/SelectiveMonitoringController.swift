import CityWatchApp
import CityWatchDomain
import Fluent
import FluentKit
import Foundation
import Vapor

/// `GET /api/wall/selective`: the cameras the wall should show now, with why.
struct SelectiveMonitoringController: RouteCollection {
    struct PickDTO: Content {
        var cameraId: UUID
        var label: String
        var score: Double
        var reasons: [SelectiveMonitoring.Reason]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.endpoint(.GET, "api", "wall", "selective", access: IncidentController.watchers, use: picks)
    }

    func picks(req: Request) async throws -> [PickDTO] {
        let view = try await req.cameraListView()
        let limit = min(max((req.query["limit"] as Int?) ?? 16, 1), 25)
        let picks = try await SelectiveMonitoringService(database: req.db, usualMotion: req.cityWatch.usualMotion)
            .picks(snapshot: view.snapshot, scope: view.scope, now: req.cityWatch.clock(), limit: limit)
        return picks.map { PickDTO(cameraId: $0.cameraID, label: view.label($0.cameraID), score: $0.score, reasons: $0.reasons) }
    }
}

extension SelectiveMonitoring.Reason: Content {}
