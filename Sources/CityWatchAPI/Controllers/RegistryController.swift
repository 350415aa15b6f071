import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import NIOCore
import Vapor

/// Import of a registry file uploaded from the console, and export of the registry.
struct RegistryController: RouteCollection {
    /// The largest file the console may upload (a national registry is well under this).
    static let maximumUploadBytes = 512 * 1024 * 1024

    func boot(routes: any RoutesBuilder) throws {
        let registry = routes.grouped("api", "registry")
        registry.endpoint(.POST, "import", access: .only(.administrator), body: .stream, use: importFile)
        registry.endpoint(.GET, "export", access: .only(.administrator, .privacyOfficer), use: export)
    }

    func importFile(req: Request) async throws -> ImportReport {
        let user = try req.requireUser()
        let dryRun = try req.booleanQuery("dryRun", default: false)
        let prune = try req.booleanQuery("prune", default: false)
        // A body announced as too large is refused before a byte of it is written.
        if let announced = req.headers.first(name: .contentLength).flatMap(Int.init), announced > Self.maximumUploadBytes {
            throw Abort(.payloadTooLarge, reason: "the file is larger than \(Self.maximumUploadBytes / 1_048_576) MiB")
        }
        let folder = UploadFolder.path(in: req.cityWatch.configuration.dataDirectory)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent("registry-\(UUID().uuidString).csv")
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw Abort(.internalServerError, reason: "cannot store the upload")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        var received = 0
        do {
            for try await chunk in req.body {
                received += chunk.readableBytes
                guard received <= Self.maximumUploadBytes else {
                    throw Abort(.payloadTooLarge, reason: "the file is larger than \(Self.maximumUploadBytes / 1_048_576) MiB")
                }
                var copy = chunk
                try handle.write(contentsOf: copy.readBytes(length: copy.readableBytes) ?? [])
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        guard received > 0 else { throw Abort(.badRequest, reason: "the request body is empty: send the CSV file as the body") }
        let importer = RegistryImporter(database: req.db, clock: req.cityWatch.clock)
        let report = try await importer.importFile(at: path, actor: user.username, options: .init(dryRun: dryRun, prune: prune))
        if !dryRun { req.cityWatch.directory.invalidate() }
        req.logger.info("registry import", metadata: [
            "user": .string(user.username), "dryRun": .stringConvertible(dryRun), "added": .stringConvertible(report.added),
            "changed": .stringConvertible(report.changed), "badRows": .stringConvertible(report.badRowCount),
        ])
        return report
    }

    func export(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let formatText: String = req.query["format"] ?? "csv"
        guard let format = RegistryExporter.Format(rawValue: formatText.lowercased()) else {
            throw Abort(.badRequest, reason: "format '\(formatText.prefix(20))' must be csv or geojson")
        }
        // The registry is public data, but who took a copy is still worth knowing.
        try await req.audit.append(AuditEvent(actor: user.username, action: "registry.export", target: format.rawValue))
        var text = ""
        let count = try await RegistryExporter(database: req.db).export(format) { text += $0 }
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: format == .csv ? "csv" : "plain",
                                                     parameters: ["charset": "utf-8"])
        if format == .geojson { response.headers.replaceOrAdd(name: .contentType, value: format.contentType) }
        let stamp = ISO8601DateFormatter().string(from: req.cityWatch.clock()).prefix(10)
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"citywatch-cameras-\(stamp).\(format == .csv ? "csv" : "geojson")\"")
        response.headers.replaceOrAdd(name: "X-CityWatch-Sites", value: "\(count)")
        return response
    }
}

extension Request {
    /// A `true`/`false` query parameter, or 400 naming it.
    func booleanQuery(_ name: String, default value: Bool) throws -> Bool {
        guard let text: String = query[name] else { return value }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw Abort(.badRequest, reason: "\(name) '\(text.prefix(20))' must be true or false")
        }
    }
}
