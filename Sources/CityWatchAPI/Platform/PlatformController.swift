import CityWatchApp
import CityWatchDomain
import Fluent
import Foundation
import Vapor

/// `POST /api/platform/events`: the integrated platform's 112/119 events, sent by a registered
/// partner with its secret as a bearer token, answered in the platform's style (a result code
/// and message, and our incident number).
struct PlatformController: RouteCollection {
    /// What the route declares: the partner's secret, checked by the handler.
    static let partnerSecret = Access.credential("platform partner secret (Authorization: Bearer)")

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "platform").endpoint(.POST, "events", access: Self.partnerSecret, use: receive)
    }

    func receive(req: Request) async throws -> Response {
        let partners = PlatformPartners(database: req.db, clock: req.cityWatch.clock)
        if let wait = req.cityWatch.refusals.retryAfter(client: req.clientAddress, now: req.cityWatch.clock()) {
            // An address that sent a flood of refused messages is held off unheard for a minute
            // (a partner's own server never sends refused ones).
            try await req.cityWatch.refusals.turnedAway(.platform, client: req.clientAddress, retryAfter: wait, audit: req.audit, now: req.cityWatch.clock())
            let response = try PlatformReplyDTO.refusal(.tooManyRequests, code: "42", message: "too many refused messages from this address; try again in \(wait) s")
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(wait)")
            return response
        }
        guard let partner = try await partners.authenticate(req.headers.bearerAuthorization?.token, from: req.clientAddress,
                                                            refusals: req.cityWatch.refusals) else {
            return try PlatformReplyDTO.refusal(.unauthorized, code: "41", message: "unknown or revoked partner secret (Authorization: Bearer)")
        }
        let link = PlatformLink(database: req.db, center: req.cityWatch.alarms, castNet: req.cityWatch.castNet,
                                directory: req.cityWatch.directory, clock: req.cityWatch.clock)
        let body = req.body.data.map { Array($0.readableBytesView) } ?? []
        do {
            let reply = try await link.receive(body, from: partner)
            return try PlatformReplyDTO(reply, eventID: reply.incident.originRef ?? "").response()
        } catch let problem as PlatformLink.Problem {
            switch problem {
            case .malformed(let malformed):
                return try PlatformReplyDTO.refusal(.badRequest, code: "40", message: malformed.description, field: malformed.field)
            case .outsideDistrict(let text):
                return try PlatformReplyDTO.refusal(.badRequest, code: "40", message: text, field: "ocrLc")
            case .unknownEvent(let text):
                return try PlatformReplyDTO.refusal(.notFound, code: "44", message: text, field: "evtId")
            case .otherPartner(let text):
                return try PlatformReplyDTO.refusal(.forbidden, code: "43", message: text, field: "evtId")
            }
        }
    }
}

/// The answer to a platform message: `resultCode` "00" (acted on), "01" (already received:
/// nothing changed), "40" (malformed, `field` names the field), "41" (partner not
/// authenticated), "43" (an update from a partner that did not report the event), "44" (an
/// update for an event never opened).
struct PlatformReplyDTO: Content {
    var resultCode: String
    var resultMsg: String
    var evtId: String?
    var incidentNo: String?
    var incidentId: UUID?
    var incidentStatus: String?
    var cameraCount: Int?
    var field: String?
    /// The API's usual error fields, so generic clients read refusals too.
    var error: Bool?
    var reason: String?

    init(_ reply: PlatformLink.Reply, eventID: String) {
        resultCode = reply.outcome == .repeated ? "01" : "00"
        resultMsg = switch reply.outcome {
        case .opened: "incident opened"
        case .updated: "incident updated"
        case .repeated: "already received; nothing changed"
        }
        evtId = eventID
        incidentNo = reply.incident.number
        incidentId = reply.incident.id
        incidentStatus = reply.incident.status.rawValue
        cameraCount = reply.incident.cameraIDs.count
    }

    private init(code: String, message: String, field: String?) {
        resultCode = code
        resultMsg = message
        self.field = field
        error = true
        reason = message
    }

    static func refusal(_ status: HTTPResponseStatus, code: String, message: String, field: String? = nil) throws -> Response {
        try PlatformReplyDTO(code: code, message: message, field: field).response(status: status)
    }

    func response(status: HTTPResponseStatus = .ok) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(self, as: .json)
        return response
    }
}
