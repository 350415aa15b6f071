import CityWatchApp
import CityWatchDomain
import Foundation
import Vapor

extension Request {
    /// The values of list filter `name` in the query (`?kind=intrusion,fall`), each one of
    /// `allowed`; nil when the filter is absent or empty. An unknown value is a 400 naming the
    /// filter and the values it takes.
    func filterValues(_ name: String, allowed: [String]) throws -> Set<String>? {
        guard let text: String = query[name] else { return nil }
        let values = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !values.isEmpty else { return nil }
        for value in values where !allowed.contains(value) {
            throw Abort(.badRequest, reason: "\(name) '\(value.prefix(40))' is not one of \(allowed.joined(separator: ", "))")
        }
        return Set(values)
    }

    /// The camera of list filter `camera`, which must be one the user may see; nil when absent.
    func filterCamera(in scope: CameraScope) throws -> UUID? {
        guard let text: String = query["camera"], !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text) else { throw Abort(.badRequest, reason: "camera '\(text.prefix(40))' is not a camera id") }
        guard scope.contains(id) else { throw Abort(.notFound, reason: "no camera \(id)") }
        return id
    }
}
