import CityWatchApp
import CityWatchDomain
import Fluent
import FluentKit
import Vapor

/// Who may call a route. Every CityWatch route declares one; the route-table test fails the
/// suite when a route has none.
public enum Access: Sendable, Equatable {
    /// Anyone, signed in or not (login, health, metrics, the console's files).
    case open
    /// Signed-in users with one of these roles.
    case roles(Set<Role>)
    /// No session: the handler itself checks the credential named here (a platform partner's
    /// secret, an incident share token) and answers 401 without a valid one.
    case credential(String)

    /// Any signed-in user.
    public static let signedIn = Access.roles(Role.everyone)

    /// Signed-in users with any of `roles`.
    public static func only(_ roles: Role...) -> Access { .roles(Set(roles)) }

    /// The key under which a route's `Access` sits in `Route.userInfo`.
    public static let userInfoKey = "citywatch.access"
}

extension Route {
    /// The access the route declared, if any.
    public var access: Access? { userInfo[Access.userInfoKey] as? Access }
}

extension RoutesBuilder {
    /// Registers a route that declares who may call it. Routes with `.roles` get the session,
    /// role and CSRF checks of ``AccessMiddleware``.
    ///
    /// - Parameter duringPasswordChange: the route stays usable while the user must still
    ///   change a generated password (only the session and password routes are).
    @discardableResult
    public func endpoint<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., access: Access, duringPasswordChange: Bool = false,
        body: HTTPBodyStreamStrategy = .collect,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let builder: any RoutesBuilder
        switch access {
        case .open, .credential: builder = self
        case .roles(let roles): builder = grouped(AccessMiddleware(roles: roles, duringPasswordChange: duringPasswordChange))
        }
        let route = builder.on(method, path, body: body, use: handler)
        route.userInfo[Access.userInfoKey] = access
        return route
    }
}
