import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import Foundation
import Vapor

/// Parking cameras switched to crime watch for a while: switch, extend, revert early, list.
struct RetaskingController: RouteCollection {
    /// Who may switch a camera and switch it back.
    static let retaskers = Access.only(.administrator, .operator)

    func boot(routes: any RoutesBuilder) throws {
        let camera = routes.grouped("api", "cameras", ":id")
        camera.endpoint(.POST, "retask", access: Self.retaskers, use: retask)
        camera.endpoint(.DELETE, "retask", access: Self.retaskers, use: revert)
        routes.endpoint(.GET, "api", "retaskings", access: .signedIn, use: list)
    }

    func retask(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (camera, site) = try await req.visibleCamera()
        let body = try req.decodeStrict(RetaskRequest.self)
        let to = body.to ?? CameraPurpose.crimePrevention.code
        guard let purpose = CameraPurpose(code: to) else { throw RetaskingAbort(error: .unsupportedTarget(to)) }
        let request = RetaskingPolicy.Request(cameraID: camera.id, to: purpose, reason: body.reason, minutes: body.minutes, by: user.username)
        let applied: RetaskingService.Applied
        do { applied = try await req.retaskingService.apply(request, registryPurpose: site.record.purpose) } catch let error as RetaskingError {
            throw RetaskingAbort(error: error)
        }
        let dto = RetaskingDTO(applied.retasking, label: try await req.cameraLabel(camera), now: req.cityWatch.clock(), extended: applied.extended)
        let response = try await dto.encodeResponse(for: req)
        response.status = applied.extended ? .ok : .created
        return response
    }

    func revert(req: Request) async throws -> RetaskingDTO {
        let user = try req.requireUser()
        let (camera, _) = try await req.visibleCamera()
        let body = req.body.data.map { $0.readableBytes > 0 } == true ? try req.decodeStrict(RevertRetaskRequest.self) : RevertRetaskRequest(reason: nil)
        let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reason, !reason.isEmpty, !RetaskingPolicy.reasonLength.contains(reason.count) {
            throw Abort(.badRequest, reason: "field 'reason' must be 3–500 characters when given (got \(reason.count))")
        }
        do {
            let reverted = try await req.retaskingService.revert(camera: camera.id, by: user.username, reason: reason?.isEmpty == false ? reason : nil)
            return RetaskingDTO(reverted, label: try await req.cameraLabel(camera), now: req.cityWatch.clock())
        } catch let error as RetaskingError {
            throw RetaskingAbort(error: error)
        }
    }

    func list(req: Request) async throws -> RetaskingListDTO {
        let (snapshot, scope) = try await req.cameraView()
        let (active, recent) = try await req.retaskingService.listings(snapshot: snapshot, scope: scope)
        return RetaskingListDTO(active: active, recent: recent)
    }
}

extension Request {
    /// Re-taskings carried out on this request's database; the analytics loop is told when a
    /// camera's rules change.
    var retaskingService: RetaskingService {
        let application = application
        return RetaskingService(database: db, clock: cityWatch.clock, settingsChanged: { await application.analytics?.reloadSettings() })
    }

    /// The re-taskings in force now, by camera, and a key that changes whenever they do (for
    /// cached answers).
    func activeRetaskings() async throws -> (byCamera: [UUID: Retasking], key: String) {
        let active = try await RetaskingService(database: db, clock: cityWatch.clock).active()
        let key = active.values.map { "\($0.id)@\($0.until.timeIntervalSince1970)" }.sorted().joined(separator: ",")
        return (active, key.isEmpty ? "none" : key)
    }
}
