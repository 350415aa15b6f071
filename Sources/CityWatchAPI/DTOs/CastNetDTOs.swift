import CityWatchApp
import CityWatchDomain
import Foundation
import Vapor

/// `POST /api/castnet` body: where and when, and optionally how wide and how fast.
struct CastNetRequest: StrictContent {
    static let allowedKeys: Set<String> = ["latitude", "longitude", "incidentTime", "now", "radius", "outerRadius", "walkingSpeed"]
    var latitude: Double
    var longitude: Double
    /// Default: now.
    var incidentTime: Date?
    /// Default: the server's clock.
    var now: Date?
    var radius: Double?
    var outerRadius: Double?
    var walkingSpeed: Double?

    /// The query, or 400 naming the field that is wrong.
    func query(now serverNow: Date) throws -> CastNetQuery {
        let point = GeoPoint(latitude: latitude, longitude: longitude)
        guard (-90...90).contains(latitude) else { throw Abort(.badRequest, reason: "latitude: \(latitude) is not between -90 and 90") }
        guard (-180...180).contains(longitude) else { throw Abort(.badRequest, reason: "longitude: \(longitude) is not between -180 and 180") }
        guard point.isValid else { throw Abort(.badRequest, reason: "latitude, longitude: (\(latitude), \(longitude)) is not a place") }
        let now = now ?? serverNow
        var query = CastNetQuery(point: point, incidentTime: incidentTime ?? now, now: now)
        if let radius {
            guard (10...5_000).contains(radius) else { throw Abort(.badRequest, reason: "radius: \(radius) m is not between 10 and 5,000") }
            query.radius = radius
            query.outerRadius = max(query.outerRadius, radius)
        }
        if let outerRadius {
            guard (query.radius...10_000).contains(outerRadius) else {
                throw Abort(.badRequest, reason: "outerRadius: \(outerRadius) m is not between the radius (\(query.radius) m) and 10,000")
            }
            query.outerRadius = outerRadius
        }
        if let walkingSpeed {
            guard (0.3...12).contains(walkingSpeed) else { throw Abort(.badRequest, reason: "walkingSpeed: \(walkingSpeed) m/s is not between 0.3 and 12") }
            query.walkingSpeed = walkingSpeed
        }
        guard query.elapsed <= 86_400 else {
            throw Abort(.badRequest, reason: "incidentTime: more than 24 hours before now; escape routes that long cover the whole city")
        }
        return query
    }
}

/// `POST /api/castnet` answer: the plan, each camera with its label.
struct CastNetResponse: Content {
    var plan: CastNetPlan
    /// Camera id → "address (position)", for the cameras of the plan.
    var labels: [String: String]
}
