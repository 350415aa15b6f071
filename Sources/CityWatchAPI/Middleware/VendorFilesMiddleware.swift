import CityWatchApp
import Fluent
import FluentKit
import Foundation
import Vapor

/// Serves Debian's JavaScript packages (Leaflet, its marker-cluster plugin, Chart.js) from
/// `/usr/share/javascript` at `/vendor/`, so no third-party file is copied into the project.
struct VendorFilesMiddleware: AsyncMiddleware {
    /// Folder of the packages, e.g. `/usr/share/javascript`.
    let root: String
    /// Package folders that may be served.
    static let packages: Set<String> = ["leaflet", "chart.js"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard path.hasPrefix("/vendor/"), request.method == .GET || request.method == .HEAD else {
            return try await next.respond(to: request)
        }
        let parts = path.dropFirst("/vendor/".count).split(separator: "/").map(String.init)
        guard let package = parts.first, Self.packages.contains(package),
              !parts.contains(where: { $0 == ".." || $0 == "." || $0.hasPrefix(".") || $0.contains("\\") })
        else { throw Abort(.notFound) }
        let file = ([root] + parts).joined(separator: "/")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else {
            throw Abort(.notFound, reason: "\(path) is not installed (apt-get install libjs-leaflet libjs-leaflet.markercluster libjs-chart.js)")
        }
        let response = try await request.fileio.asyncStreamFile(at: file)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=86400")
        return response
    }
}
