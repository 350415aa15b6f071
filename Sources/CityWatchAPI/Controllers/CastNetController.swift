import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Foundation
import Vapor

/// Cast-net surveillance: the cameras around a place and along the roads away from it.
struct CastNetController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.endpoint(.POST, "api", "castnet", access: RecordingController.viewers, use: plan)
    }

    /// `POST /api/castnet`: the plan over the cameras the user may see (audit-logged: it names cameras to watch).
    func plan(req: Request) async throws -> CastNetResponse {
        let user = try req.requireUser()
        let query = try req.decodeStrict(CastNetRequest.self).query(now: req.cityWatch.clock())
        let (snapshot, scope) = try await req.cameraView()
        let plan = await req.cityWatch.castNet.plan(query, snapshot: snapshot, scope: scope)
        var labels: [String: String] = [:]
        for pick in plan.cameras {
            guard let id = UUID(uuidString: pick.cameraID), let label = snapshot.labels.camera(id) else { continue }
            labels[pick.cameraID] = label
        }
        let formatter = ISO8601DateFormatter()
        try await req.audit.append(AuditEvent(actor: user.username, action: "castnet", details: [
            "latitude": .double(query.point.latitude), "longitude": .double(query.point.longitude),
            "incidentTime": .string(formatter.string(from: query.incidentTime)), "cameras": .int(Int64(plan.cameras.count)),
        ]))
        return CastNetResponse(plan: plan, labels: labels)
    }
}
